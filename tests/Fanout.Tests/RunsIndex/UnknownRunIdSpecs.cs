using System.Net;
using Fanout.Tests.Support;
using static Fanout.Tests.RunsIndex.RunsIndexTasks;

namespace Fanout.Tests.RunsIndex;

/// <summary>
/// An id that names no run is answered 404 from the runs index: no run entity starts for it (sharding's
/// remember-entities store writes nothing about it and the region holds no entity of that id), while a real run
/// is found the moment its start is answered.
/// </summary>
public sealed class UnknownRunIdSpecs
{
    [Fact]
    public async Task An_unknown_id_is_a_404_that_starts_no_entity()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        var options = journal.Options();
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(options);
        using var http = new RunsIndexHttp(fanout.BaseUrl!);
        var rows = new JournalRows(options);

        // The control: a run that is going is an entity the region reports, and sharding's store names it.
        var key = $"held-{Guid.NewGuid():N}";
        var held = await fanout.RunAsync(Held, key);
        var (found, summary) = await http.GetAsync($"runs/{held.Id}");
        Assert.True(found == HttpStatusCode.OK, $"GET /runs/{held.Id} right after its start was answered gave {(int)found}: {summary}");
        Assert.Contains(held.Id, await RunEntities.OnAsync(fanout));
        Assert.True(await rows.ShardingRowsNamingAsync(held.Id) > 0, "sharding's remember-entities rows do not name a run that is going");

        var unknown = $"never-started-{Guid.NewGuid():N}";
        var entitiesBefore = await RunEntities.OnAsync(fanout);
        foreach (var (method, path) in new[] { ("GET", $"runs/{unknown}"), ("GET", $"runs/{unknown}/actions"), ("POST", $"runs/{unknown}/cancel") })
        {
            var (status, body) = method == "GET" ? await http.GetAsync(path) : await http.PostAsync(path, "{}");
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal($"no run with id '{unknown}'", body.GetProperty("error").GetString());
        }
        var entitiesAfter = await RunEntities.OnAsync(fanout);

        Assert.DoesNotContain(unknown, entitiesAfter);
        Assert.True(entitiesAfter.IsSubsetOf(entitiesBefore),
            $"entities appeared: {string.Join(", ", entitiesAfter.Except(entitiesBefore))}");
        Assert.Equal(0, await rows.ShardingRowsNamingAsync(unknown));
        Assert.DoesNotContain($"journal:run-{unknown}", (await rows.PerPersistenceIdAsync()).Keys);

        Release(key);
        Assert.Equal(key, await held.WaitAsync(TimeSpan.FromSeconds(60), "the held run to end once released"));
    }
}
