using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;
using Xunit.Abstractions;
using static Fanout.Tests.RunsIndex.RunsIndexTasks;

namespace Fanout.Tests.RunsIndex;

/// <summary>
/// <c>GET /runs</c> pages the durable runs index: every run exactly once across pages, newest started first,
/// filtered by status, task and start time, and the same after the runtime restarts on the same journal.
/// </summary>
public sealed class RunsIndexListingSpecs(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FanoutJournal.Sqlite, 1_000)]
    [InlineData(FanoutJournal.PostgreSql, 150)]
    public async Task The_index_lists_every_run_once_newest_first_filters_them_and_survives_a_restart(FanoutJournal kind, int runs)
    {
        await using var journal = await TestJournal.CreateAsync(kind);
        var options = journal.Options();
        var started = new List<(string RunId, string Kind, bool Chosen)>();
        var startWatch = System.Diagnostics.Stopwatch.StartNew();

        await using (var fanout = await FanoutRuntime.StartEmbeddedAsync(options))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = 100 }, async (i, ct) =>
            {
                var chosen = i % 3 == 0;
                var runOptions = new RunOptions { RunId = chosen ? $"chosen-{i}" : null };
                var (id, what) = (i % 10) switch
                {
                    0 => ((await fanout.RunAsync(Fails, i, runOptions, ct)).Id, "failed"),
                    1 or 6 => ((await fanout.RunAsync(Other, i, runOptions, ct)).Id, "other"),
                    _ => ((await fanout.RunAsync(Quick, i, runOptions, ct)).Id, "quick"),
                };
                lock (started) started.Add((id, what, chosen));
            });
            output.WriteLine($"{runs} runs started in {startWatch.Elapsed.TotalSeconds:F1} s on {kind}");

            using var http = new RunsIndexHttp(fanout.BaseUrl!);
            // Every run ends, and the index hears of it: nothing is listed as running any more.
            await Eventually.Value(async () => (await http.ListAllAsync("status=running&limit=500")).Runs.Count, n => n == 0,
                TimeSpan.FromSeconds(90), "the index to list no run as running once every run ended");

            var (all, pages) = await http.ListAllAsync("limit=37");
            output.WriteLine($"listed {all.Count} runs in {pages} pages");
            AssertEveryRunOnceNewestFirst(all, started.Select(s => s.RunId), tieBreakByOrdinalId: kind == FanoutJournal.Sqlite);
            Assert.Equal((runs + 36) / 37, pages);

            var failed = (await http.ListAllAsync("status=failed&limit=50")).Runs;
            AssertSameIds(started.Where(s => s.Kind == "failed").Select(s => s.RunId), failed, "status=failed");
            foreach (var run in failed)
            {
                Assert.Equal("failed", run.GetProperty("status").GetString());
                Assert.Equal("System.InvalidOperationException", run.GetProperty("error").GetProperty("type").GetString());
                Assert.StartsWith("failed on purpose with ", run.GetProperty("error").GetProperty("message").GetString());
                Assert.Equal(1, run.GetProperty("counts").GetProperty("failed").GetInt32());
                Assert.True(run.TryGetProperty("finishedAt", out _), $"failed run {run} has no finishedAt");
            }

            var other = (await http.ListAllAsync($"task={Other.Name}&status=succeeded&limit=500")).Runs;
            AssertSameIds(started.Where(s => s.Kind == "other").Select(s => s.RunId), other, $"task={Other.Name}");
            Assert.All(other, run => Assert.Equal(1, run.GetProperty("counts").GetProperty("succeeded").GetInt32()));

            var chosenIds = all.Where(run => run.GetProperty("callerChosenId").GetBoolean()).Select(run => run.GetProperty("runId").GetString()!);
            Assert.Equal(started.Where(s => s.Chosen).Select(s => s.RunId).Order(StringComparer.Ordinal), chosenIds.Order(StringComparer.Ordinal));

            // since: the runs started at or after the middle run's start, newest first like the rest.
            var middle = all[all.Count / 2].GetProperty("startedAt").GetDateTimeOffset();
            var since = (await http.ListAllAsync($"since={Uri.EscapeDataString(middle.ToString("O"))}&limit=500")).Runs;
            AssertSameIds(all.Where(r => r.GetProperty("startedAt").GetDateTimeOffset() >= middle).Select(r => r.GetProperty("runId").GetString()!),
                since, "since");

            // The C# API reads the same index.
            var firstPage = await fanout.ListRunsAsync(new RunListQuery { Limit = 10 });
            Assert.Equal(all.Take(10).Select(r => r.GetProperty("runId").GetString()), firstPage.Runs.Select(r => r.RunId));
            Assert.NotNull(firstPage.NextCursor);

            await using var restarted = await RestartAsync(fanout, options);
            using var httpAfter = new RunsIndexHttp(restarted.BaseUrl!);
            var (afterRestart, _) = await httpAfter.ListAllAsync("limit=500");
            Assert.Equal(all.Select(r => r.GetRawText()), afterRestart.Select(r => r.GetRawText()));
        }
    }

    // The first runtime is disposed by the caller's `await using` too; disposing twice does nothing.
    private static async Task<FanoutRuntime> RestartAsync(FanoutRuntime running, FanoutRuntimeOptions options)
    {
        await running.DisposeAsync();
        return await FanoutRuntime.StartEmbeddedAsync(options);
    }

    private static void AssertEveryRunOnceNewestFirst(List<JsonElement> listed, IEnumerable<string> started, bool tieBreakByOrdinalId)
    {
        var ids = listed.Select(r => r.GetProperty("runId").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(started.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        for (var i = 1; i < listed.Count; i++)
        {
            var (before, after) = (listed[i - 1].GetProperty("startedAt").GetDateTimeOffset(), listed[i].GetProperty("startedAt").GetDateTimeOffset());
            Assert.True(before >= after, $"run {ids[i - 1]} (started {before:O}) is listed before {ids[i]} (started {after:O})");
            if (tieBreakByOrdinalId && before == after)
                Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) > 0, $"runs {ids[i - 1]} and {ids[i]} started together are not in id order");
        }
    }

    private static void AssertSameIds(IEnumerable<string> expected, List<JsonElement> listed, string what)
    {
        var ids = listed.Select(r => r.GetProperty("runId").GetString()!).ToList();
        Assert.True(ids.Count > 0, $"{what} listed nothing");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }
}
