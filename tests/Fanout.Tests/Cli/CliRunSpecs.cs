using System.Text.Json;
using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;

namespace Fanout.Tests.Cli;

/// <summary>
/// The <c>fanout</c> tool's run verbs against a real node (the embedded runtime and its HTTP API): what they
/// print, their <c>--json</c>, and their exit codes.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class CliRunSpecs(RuntimeFixture fixture)
{
    private readonly Uri _node = fixture.Runtime.BaseUrl!;

    private Task<CliResult> Fanout(params string[] args) => CliInvocation.RunAsync(_node, args);

    private static string NewId(string what) => $"cli-{what}-{Guid.NewGuid():N}"[..40];

    [Fact]
    public async Task Tasks_lists_every_task_the_node_knows_one_per_line_and_as_a_json_array()
    {
        _ = CliTasks.Names;

        var text = await Fanout("tasks");
        var json = await Fanout("tasks", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Subset(text.OutLines.ToHashSet(), CliTasks.Names.ToHashSet());
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(text.OutLines, JsonSerializer.Deserialize<string[]>(json.Out));
        Assert.Empty(text.Err);
    }

    [Fact]
    public async Task Run_starts_a_run_and_runs_show_prints_its_summary_and_group_tree()
    {
        var id = NewId("show");
        CliTasks.Gate(id).SetResult();

        var started = await Fanout("run", CliTasks.GatedWaves.Name, "--input", $"\"{id}\"", "--id", id);
        Assert.Equal(0, started.ExitCode);
        Assert.Equal($"started run {id}: {new Uri(_node, $"runs/{id}")}", Assert.Single(started.OutLines));
        await fixture.Runtime.GetRun<int>(id).WaitAsync(Deadlines.EmbeddedRun, "the gated run with its gate open to end");

        var show = await Fanout("runs", "show", id);
        Assert.Equal(0, show.ExitCode);
        var lines = show.OutLines;
        Assert.Equal($"run       {id}", lines[0]);
        Assert.Equal($"task      {CliTasks.GatedWaves.Name}", lines[1]);
        Assert.Equal("status    succeeded", lines[2]);
        Assert.Matches(@"^started   \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[3]);
        Assert.Matches(@"^finished  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(after [\d.]+ (ms|s)\)$", lines[4]);
        Assert.Equal("actions   6: succeeded 6", lines[5]);
        Assert.Equal(["groups", "  (no group)  1: succeeded 1", "  wave-1  3: succeeded 3", "  wave-2  0 of its own", "    gated  2: succeeded 2"], lines[6..]);

        var json = await Fanout("runs", "show", id, "--json");
        using var summary = JsonDocument.Parse(json.Out);
        Assert.Equal(id, summary.RootElement.GetProperty("runId").GetString());
        Assert.Equal("succeeded", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal(6, summary.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt32());
        Assert.Contains('\n', json.Out.Trim()); // indented
    }

    [Fact]
    public async Task Run_with_wait_follows_the_run_and_exits_with_its_outcome()
    {
        var succeeded = await Fanout("run", CliTasks.Quick.Name, "--input", "7", "--wait");
        var failed = await Fanout("run", CliTasks.Fails.Name, "--input", "\"on purpose\"", "--wait");
        var failedJson = await Fanout("run", CliTasks.Fails.Name, "--input", "\"as json\"", "--wait", "--json");

        Assert.Equal(0, succeeded.ExitCode);
        Assert.Matches(@"^run \S+ succeeded after [\d.]+ (ms|s): 1 actions \(succeeded 1\)$", succeeded.OutLines[^1]);
        Assert.Equal(1, failed.ExitCode);
        Assert.Matches(@"^run \S+ failed after [\d.]+ (ms|s): 1 actions \(failed 1\)$", failed.OutLines[^2]);
        Assert.Equal("error: System.InvalidOperationException: failed on purpose: on purpose", failed.OutLines[^1]);
        Assert.Equal(1, failedJson.ExitCode);
        using var summary = JsonDocument.Parse(failedJson.Out);
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_reads_its_input_from_a_file_and_refuses_bad_input_before_sending_it()
    {
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "input.json");
        await File.WriteAllTextAsync(file, "41");

        var fromFile = await Fanout("run", CliTasks.Quick.Name, "--input", $"@{file}", "--wait", "--json");
        var notJson = await Fanout("run", CliTasks.Quick.Name, "--input", "{not json");
        var noFile = await Fanout("run", CliTasks.Quick.Name, "--input", $"@{file}.missing");
        var unknownTask = await Fanout("run", "cli.no_such_task", "--input", "1");
        var wrongType = await Fanout("run", CliTasks.Quick.Name, "--input", "\"text\"");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(2, notJson.ExitCode);
        Assert.StartsWith("fanout: --input is not JSON", Assert.Single(notJson.ErrLines));
        Assert.Equal(2, noFile.ExitCode);
        Assert.StartsWith($"fanout: cannot read --input file '{file}.missing'", Assert.Single(noFile.ErrLines));
        Assert.Equal(1, unknownTask.ExitCode);
        Assert.Contains("cli.no_such_task", Assert.Single(unknownTask.ErrLines));
        Assert.Contains("(HTTP 404 for /runs)", unknownTask.Err);
        Assert.Equal(1, wrongType.ExitCode);
        Assert.Contains("(HTTP 400 for /runs)", Assert.Single(wrongType.ErrLines));
        Assert.Empty(notJson.Out + noFile.Out + unknownTask.Out + wrongType.Out);
    }

    [Fact]
    public async Task Runs_actions_pages_a_table_filtered_by_status_with_each_error()
    {
        var run = await fixture.Runtime.RunAsync(FailureTasks.CollectFailures, 10);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the run collecting failures to end");

        var failed = await Fanout("runs", "actions", run.Id, "--status", "failed");
        var firstPage = await Fanout("runs", "actions", run.Id, "--limit", "4");
        var lastPage = await Fanout("runs", "actions", run.Id, "--offset", "8", "--limit", "4");
        var json = await Fanout("runs", "actions", run.Id, "--status", "failed", "--json");

        Assert.Equal(0, failed.ExitCode);
        Assert.Matches(@"^ACTION\s+TASK\s+GROUP\s+STATUS\s+ATTEMPTS\s+ERROR$", failed.OutLines[0]);
        var rows = failed.OutLines[1..^1];
        Assert.Equal(4, rows.Length); // inputs 0, 3, 6 and 9
        Assert.All(rows, row => Assert.Matches(@$"^{run.Id}/failures\.fails_on_3#\d+\s+failures\.fails_on_3\s+-\s+failed\s+1\s+System\.IO\.InvalidDataException: ", row));
        Assert.Equal("actions 1-4 of 4", failed.OutLines[^1]);
        Assert.Equal("actions 1-4 of 11; next page: --offset 4", firstPage.OutLines[^1]);
        Assert.StartsWith(run.Id + " ", firstPage.OutLines[1]);
        Assert.Equal("actions 9-11 of 11", lastPage.OutLines[^1]);
        Assert.Equal(3, lastPage.OutLines.Length - 2);
        using var page = JsonDocument.Parse(json.Out);
        Assert.Equal(4, page.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Runs_watch_of_a_running_run_shows_progress_and_ends_with_success()
    {
        var id = NewId("watch");
        Assert.Equal(0, (await Fanout("run", CliTasks.GatedWaves.Name, "--input", $"\"{id}\"", "--id", id)).ExitCode);

        var output = new LiveWriter();
        var watch = CliInvocation.RunAsync(["--node", _node.ToString(), "runs", "watch", id], new Dictionary<string, string>(), output);
        // The gated children hold the run open; the watch must have seen it going before the gate opens.
        await output.WaitForAsync("running: 3/6 actions done (running 3, succeeded 3)", Deadlines.EmbeddedRun,
            "the watch to print the run going with its two gated children running");
        CliTasks.Gate(id).SetResult();
        var result = await watch.Within(Deadlines.EmbeddedRun, "the watch to end after the gate opened");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@$"^run {id} succeeded after [\d.]+ (ms|s): 6 actions \(succeeded 6\)$", result.OutLines[^1]);
        Assert.Contains(result.OutLines, l => l.StartsWith("succeeded: 6/6 actions done (succeeded 6)", StringComparison.Ordinal));
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task Runs_watch_rides_out_a_node_answering_503_for_a_while_once_it_has_seen_the_run()
    {
        var id = NewId("blip");
        Assert.Equal(0, (await Fanout("run", CliTasks.GatedWaves.Name, "--input", $"\"{id}\"", "--id", id)).ExitCode);
        // Requests 3 to 6 get a 503, as while a run moves; the others reach the node.
        using var proxy = new FlakyProxy(_node, request => request is >= 3 and <= 6);

        var watch = CliInvocation.RunAsync(proxy.Url, "runs", "watch", id);
        await Eventually.True(() => proxy.Failed == 4, Deadlines.EmbeddedRun, "the proxy to have answered four polls with 503");
        CliTasks.Gate(id).SetResult();
        var result = await watch.Within(Deadlines.EmbeddedRun, "the watch to end after the blip");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@$"^run {id} succeeded after .+: 6 actions \(succeeded 6\)$", result.OutLines[^1]);
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task Runs_cancel_ends_a_watched_run_and_the_watch_exits_1()
    {
        var id = NewId("cancel");
        Assert.Equal(0, (await Fanout("run", CliTasks.GatedWaves.Name, "--input", $"\"{id}\"", "--id", id)).ExitCode);
        var output = new LiveWriter();
        var watch = CliInvocation.RunAsync(["--node", _node.ToString(), "runs", "watch", id], new Dictionary<string, string>(), output);
        await output.WaitForAsync("running: 3/6", Deadlines.EmbeddedRun, "the watch to see the gated children running");

        var cancel = await Fanout("runs", "cancel", id);
        var again = await Fanout("runs", "cancel", id, "--json");
        var result = await watch.Within(Deadlines.EmbeddedRun, "the watch of the cancelled run to end");

        Assert.Equal(0, cancel.ExitCode);
        Assert.Equal($"run {id} cancelled", Assert.Single(cancel.OutLines));
        using var status = JsonDocument.Parse(again.Out);
        Assert.Equal("cancelled", status.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@$"^run {id} cancelled after .+: 6 actions \(succeeded 3, cancelled 3\)$", result.OutLines[^1]);
    }

    [Fact]
    public async Task On_a_terminal_the_watch_draws_a_bar_per_group_and_lists_are_tables()
    {
        var id = NewId("tty");
        Assert.Equal(0, (await Fanout("run", CliTasks.GatedWaves.Name, "--input", $"\"{id}\"", "--id", id)).ExitCode);
        string[] node = ["--node", _node.ToString()];

        var output = new LiveWriter();
        var watch = CliInvocation.RunAsync([.. node, "runs", "watch", id], new Dictionary<string, string>(), output, interactive: true);
        // Spectre.Console may colour and redraw (it detects ANSI from the environment): read the text without the codes.
        string Drawn() => System.Text.RegularExpressions.Regex.Replace(output.Text, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        await Eventually.True(() => Drawn().Contains("wave-2/gated  0/2  running 2"), Deadlines.EmbeddedRun,
            "the terminal watch to draw the gated group's bar");
        CliTasks.Gate(id).SetResult();
        var watched = await watch.Within(Deadlines.EmbeddedRun, "the terminal watch to end");
        var table = await CliInvocation.RunAsync([.. node, "runs", "actions", id, "--limit", "2"], new Dictionary<string, string>(), interactive: true);

        var drawn = Drawn();
        Assert.True(watched.ExitCode == 0, watched.ToString());
        // The live display redraws in place; its last frame, left on the screen, shows every group done.
        Assert.Contains("wave-2/gated  2/2  succeeded 2", drawn);
        Assert.Contains("wave-1  3/3  succeeded 3", drawn);
        Assert.Contains("(no group)  1/1  succeeded 1", drawn);
        Assert.Contains("succeeded: 6/6 actions done (succeeded 6)", drawn);
        Assert.Contains("100%", drawn);
        Assert.Matches(@$"run {id} succeeded after .+: 6 actions \(succeeded 6\)", drawn);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(table.OutLines, l => l.Contains("ACTION") && l.Contains("ATTEMPTS") && (l.Contains('│') || l.Contains('|')));
        Assert.Contains(table.OutLines, l => l.Contains("│ cli.quick ") || l.Contains("| cli.quick "));
    }

    [Fact]
    public async Task A_run_the_node_does_not_know_is_one_line_on_stderr_and_exit_1()
    {
        foreach (var verb in new[] { "show", "actions", "watch", "cancel" })
        {
            var result = await Fanout("runs", verb, "cli-no-such-run");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no run with id 'cli-no-such-run'", Assert.Single(result.ErrLines));
            Assert.Empty(result.Out);
        }
    }
}
