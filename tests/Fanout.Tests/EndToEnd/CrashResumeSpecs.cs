using System.Text.Json;
using Fanout.CrashHost;
using Fanout.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A process running a fan-out is killed with SIGKILL part-way; a new process on the same journal
/// resumes the run, finishes it, and does not execute again the actions that had finished.
/// </summary>
public sealed class CrashResumeSpecs
{
    private const int Items = 150;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);
    private static readonly int ExpectedSum = Enumerable.Range(0, Items).Sum(i => i * 2);

    [Fact]
    public async Task A_bounded_map_killed_mid_way_resumes_and_finished_items_do_not_run_again()
    {
        using var folder = new TempDirectory();
        var crash = await RunUntilKilledAsync(folder, "map");

        var afterRestart = await ResumeAsync(folder, crash.RunId);

        Assert.Equal(Enumerable.Range(0, Items), crash.BeforeKill.Union(afterRestart).Order());
        // Only items whose outcome was not yet journaled when the process died may run twice; the map
        // starts a new item only after an earlier one's outcome is journaled, so at most its concurrency.
        var ranTwice = crash.BeforeKill.Intersect(afterRestart).Count();
        Assert.InRange(ranTwice, 0, CrashTasks.Concurrency);
        Assert.Equal(Items - crash.BeforeKill.Count + ranTwice, afterRestart.Count);
    }

    [Fact]
    public async Task A_nested_fanout_killed_mid_way_resumes_and_no_journaled_leaf_runs_again()
    {
        using var folder = new TempDirectory();
        var crash = await RunUntilKilledAsync(folder, "tree");
        var journaled = JournaledLeafItems(folder.File("journal.db"), crash.RunId);
        Assert.NotEmpty(journaled);
        Assert.True(journaled.Count < Items, "the kill came after every leaf was journaled");
        Assert.Subset(crash.BeforeKill.ToHashSet(), journaled); // journaled means it ran

        var afterRestart = await ResumeAsync(folder, crash.RunId);

        Assert.Equal(Enumerable.Range(0, Items), crash.BeforeKill.Union(afterRestart).Order());
        Assert.Empty(journaled.Intersect(afterRestart)); // the journal's answer was used, not a new run
        Assert.Equal(Items - journaled.Count, afterRestart.Count); // and every other leaf ran once more
    }

    [Fact]
    public async Task A_task_class_whose_initializer_throws_stops_start_up_naming_the_class()
    {
        using var folder = new TempDirectory();
        var noLog = new Dictionary<string, string> { ["FANOUT_CRASH_LOG"] = "" }; // CrashTasks' initializer throws

        using var host = HostProcess.Start(noLog, "start", folder.File("journal.db"), "10");

        Assert.NotEqual(0, await host.WaitForExitAsync(Within));
        Assert.Contains("The tasks defined in Fanout.CrashHost.CrashTasks could not be registered", host.Output);
        Assert.Contains("FANOUT_CRASH_LOG is not set", host.Output);
    }

    private sealed record Crash(string RunId, List<int> BeforeKill);

    private static async Task<Crash> RunUntilKilledAsync(TempDirectory folder, string shape)
    {
        using var first = HostProcess.Start(Environment(folder), "start", folder.File("journal.db"), Items.ToString(), shape);
        var runId = (await first.WaitForLineAsync("RUN ", Within))["RUN ".Length..];
        await Eventually.True(() => ExecutedBy(folder, first.Id).Count >= Items / 4, Within, "a quarter of the items to run");
        first.KillHard();

        var beforeKill = ExecutedBy(folder, first.Id);
        Assert.InRange(beforeKill.Count, Items / 4, Items - 1); // killed part-way, not after the end
        return new Crash(runId, beforeKill);
    }

    private static async Task<List<int>> ResumeAsync(TempDirectory folder, string runId)
    {
        using var second = HostProcess.Start(Environment(folder), "resume", folder.File("journal.db"), runId);
        var result = await second.WaitForLineAsync("RESULT ", Within);
        var rootAttempts = await second.WaitForLineAsync("ROOT_ATTEMPTS ", Within);
        Assert.Equal(0, await second.WaitForExitAsync(Within));

        Assert.Equal($"RESULT {ExpectedSum} {Items}", result);
        Assert.Equal("ROOT_ATTEMPTS 2", rootAttempts); // the start before the crash counts
        return ExecutedBy(folder, second.Id);
    }

    private static Dictionary<string, string> Environment(TempDirectory folder) =>
        new() { ["FANOUT_CRASH_LOG"] = folder.File("executions.log") };

    private static List<int> ExecutedBy(TempDirectory folder, int pid)
    {
        var log = folder.File("executions.log");
        if (!File.Exists(log)) return [];
        var prefix = $"{pid} ";
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var items = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(line[prefix.Length..], out var item))
                items.Add(item);
        }
        return items;
    }

    /// <summary>The leaf items whose success the killed process had journaled, read from the SQLite journal itself.</summary>
    private static HashSet<int> JournaledLeafItems(string database, string runId)
    {
        var inputs = new Dictionary<string, int>();
        var succeeded = new List<string>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", $"run-{runId}");
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            using var batch = JsonDocument.Parse((byte[])rows[0]);
            foreach (var entry in batch.RootElement.GetProperty("Entries").EnumerateArray())
            {
                var kind = entry.GetProperty("Kind").GetString();
                var actionId = entry.TryGetProperty("ActionId", out var id) ? id.GetString()! : "";
                if (!actionId.Contains("crash.leaf#")) continue;
                if (kind == "ActionRequested") inputs[actionId] = int.Parse(PayloadText(entry.GetProperty("InputJson")));
                if (kind == "ActionSucceeded") succeeded.Add(actionId);
            }
        }
        return succeeded.Select(actionId => inputs[actionId]).ToHashSet();
    }

    // A payload is stored as its JSON in a one-element array; rows written before that hold it as a JSON string.
    private static string PayloadText(JsonElement stored) =>
        stored.ValueKind == JsonValueKind.Array ? stored[0].GetRawText() : stored.GetString()!;
}
