using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cli;

/// <summary><c>runs list</c> and <c>runs purge</c> against a runtime of their own (a purge must not take other specs' runs).</summary>
public sealed class CliRunsIndexSpecs
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Runs_list_pages_newest_first_filters_and_purge_removes_only_finished_runs()
    {
        await using var journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        await using var fanout = await FanoutRuntime.StartEmbeddedAsync(journal.Options());
        Task<CliResult> Fanout(params string[] args) => CliInvocation.RunAsync(fanout.BaseUrl!, args);

        var quick = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = await fanout.RunAsync(CliTasks.Quick, i);
            await run.WaitAsync(Within, "a quick run to end");
            quick.Add(run.Id);
        }
        var failed = await fanout.RunAsync(CliTasks.Fails, "for the list");
        await Assert.ThrowsAnyAsync<FanoutException>(() => failed.WaitAsync(Within, "the failing run to end"));
        var gate = $"cli-list-{Guid.NewGuid():N}";
        var going = await fanout.RunAsync(CliTasks.GatedWaves, gate);

        // The index takes a run's end from its durable facts, batched: wait until it has all four ends.
        await Eventually.Value(() => Fanout("runs", "list", "--status", "running"), page => page.OutLines.Length == 2, Within,
            "the index to list only the gated run as running");
        var all = await Fanout("runs", "list");
        var firstPage = await Fanout("runs", "list", "--task", CliTasks.Quick.Name, "--limit", "2");
        var cursor = firstPage.OutLines[^1]["next page: --cursor ".Length..];
        var secondPage = await Fanout("runs", "list", "--task", CliTasks.Quick.Name, "--limit", "2", "--cursor", cursor);
        var onlyFailed = await Fanout("runs", "list", "--status", "failed");
        var json = await Fanout("runs", "list", "--json", "--since", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));

        Assert.Equal(0, all.ExitCode);
        Assert.Matches(@"^RUN\s+TASK\s+STATUS\s+STARTED\s+FINISHED\s+ACTIONS\s+ERROR$", all.OutLines[0]);
        Assert.Equal([going.Id, failed.Id, quick[2], quick[1], quick[0]], all.OutLines[1..].Select(l => l.Split("  ")[0]));
        Assert.Matches(@$"^{failed.Id}\s+cli\.fails\s+failed\s+\S+Z\s+\S+Z\s+1\s+System\.InvalidOperationException: failed on purpose: for the list$", all.OutLines[2]);
        Assert.Matches(@$"^{going.Id}\s+cli\.gated_waves\s+running\s+\S+Z\s+-\s+", all.OutLines[1]);
        Assert.Equal([quick[2], quick[1]], firstPage.OutLines[1..^1].Select(l => l.Split("  ")[0]));
        Assert.StartsWith("next page: --cursor ", firstPage.OutLines[^1]);
        Assert.Equal([quick[0]], secondPage.OutLines[1..].Select(l => l.Split("  ")[0]));
        Assert.Equal([failed.Id], onlyFailed.OutLines[1..].Select(l => l.Split("  ")[0]));
        using (var page = JsonDocument.Parse(json.Out))
            Assert.Equal(5, page.RootElement.GetProperty("runs").GetArrayLength());

        // Purge by age: the four finished runs go once they are a second old; the running one stays.
        var purged = new HashSet<string>();
        await Eventually.Value(async () =>
        {
            var result = await Fanout("runs", "purge", "--older-than", "1s", "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            foreach (var id in JsonDocument.Parse(result.Out).RootElement.GetProperty("runIds").EnumerateArray()) purged.Add(id.GetString()!);
            return purged.Count;
        }, count => count >= 4, Within, "the four finished runs to be purged");
        Assert.Equal(quick.Append(failed.Id).Order(), purged.Order());
        var left = await Fanout("runs", "list");
        Assert.Equal([going.Id], left.OutLines[1..].Select(l => l.Split("  ")[0]));
        var gone = await Fanout("runs", "show", quick[0]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains($"run '{quick[0]}' was purged", Assert.Single(gone.ErrLines));
        var text = await Fanout("runs", "purge", "--older-than", "7d");
        Assert.Equal("purged 0 run(s)", Assert.Single(text.OutLines));
        var badAge = await Fanout("runs", "purge", "--older-than", "soon");
        Assert.Equal(1, badAge.ExitCode);
        Assert.Contains("'soon' is not an age", Assert.Single(badAge.ErrLines));

        CliTasks.Gate(gate).SetResult();
        await going.WaitAsync(Within, "the gated run to end once its gate opened");
    }
}
