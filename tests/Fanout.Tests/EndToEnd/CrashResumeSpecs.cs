using Fanout.CrashHost;
using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A process running a fan-out is killed with SIGKILL part-way; a new process on the same journal
/// resumes the run, finishes it, and does not execute again the actions that had finished.
/// </summary>
public sealed class CrashResumeSpecs
{
    private const int Items = 150;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_run_killed_mid_way_resumes_on_restart_and_finished_actions_do_not_run_again()
    {
        using var folder = new TempDirectory();
        var database = folder.File("journal.db");
        var log = folder.File("executions.log");
        var environment = new Dictionary<string, string> { ["FANOUT_CRASH_LOG"] = log };

        int firstPid;
        string runId;
        using (var first = HostProcess.Start(environment, "start", database, Items.ToString()))
        {
            firstPid = first.Id;
            runId = (await first.WaitForLineAsync("RUN ", Within))["RUN ".Length..];
            await Eventually.True(() => ExecutedBy(log, firstPid).Count >= Items / 3, Within, "a third of the items to run");
            first.KillHard();
            Console.WriteLine($"killed after {ExecutedBy(log, firstPid).Count}");
        }
        var beforeCrash = ExecutedBy(log, firstPid);
        Assert.InRange(beforeCrash.Count, Items / 3, Items - 1); // killed part-way, not after the end

        using var second = HostProcess.Start(environment, "resume", database, runId);
        var result = await second.WaitForLineAsync("RESULT ", Within);
        var rootAttempts = await second.WaitForLineAsync("ROOT_ATTEMPTS ", Within);
        Assert.Equal(0, await second.WaitForExitAsync(Within));

        var expectedSum = Enumerable.Range(0, Items).Sum(i => i * 2);
        Assert.Equal($"RESULT {expectedSum} {Items}", result);
        Assert.Equal("ROOT_ATTEMPTS 2", rootAttempts); // the start before the crash counts

        var afterRestart = ExecutedBy(log, second.Id);
        Assert.Equal(Enumerable.Range(0, Items), beforeCrash.Union(afterRestart).Order());
        // Only items whose outcome was not yet journaled when the process died may run twice; the map
        // starts a new item only after an earlier one's outcome is journaled, so at most its concurrency.
        var ranTwice = beforeCrash.Intersect(afterRestart).Count();
        Assert.InRange(ranTwice, 0, CrashTasks.Concurrency);
        Assert.Equal(Items - beforeCrash.Count + ranTwice, afterRestart.Count);
    }

    private static List<int> ExecutedBy(string log, int pid)
    {
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
}
