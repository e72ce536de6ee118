using Fanout.Tests.Support;
using static Fanout.Workflow;

namespace Fanout.Tests.EndToEnd;

/// <summary>Inputs and outputs over the payload limit fail clearly, naming the limit, and lose nothing else, on each journal.</summary>
public abstract class PayloadLimitSpecs(FanoutJournal journal) : IAsyncLifetime
{
    private const int Limit = 4096;
    private static readonly TaskEnvironment Env = new("payload_limit");

    private static readonly TaskDefinition<string, int> Measure = Env.Task("measure", (string s) => Task.FromResult(s.Length));
    private static readonly TaskDefinition<int, string> Produce = Env.Task("produce", (int n) => Task.FromResult(new string('x', n)));

    private static readonly TaskDefinition<int, string[]> Parent = Env.Task("parent", async (int n, CancellationToken ct) =>
    {
        var calls = new[] { Measure.InvokeAsync("small"), Measure.InvokeAsync(new string('y', n)), Measure.InvokeAsync("after") };
        var outcomes = await Gather(calls, returnExceptions: true);
        return outcomes.Select(o => o.IsSuccess ? $"ok {o.Value}" : $"{o.Exception!.GetType().Name}: {o.Exception.Message}").ToArray();
    });

    private TestJournal? _journal;
    private FanoutRuntime _fanout = null!;

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(journal);
        var options = _journal.Options();
        options.HttpPort = null;
        options.MaxPayloadBytes = Limit;
        _fanout = await FanoutRuntime.StartEmbeddedAsync(options);
    }

    [Fact]
    public async Task A_child_call_with_an_oversize_input_fails_alone_and_its_siblings_run()
    {
        var run = await _fanout.RunAsync(Parent, 10_000);
        var lines = await run.WaitAsync(Deadlines.EmbeddedRun, "the parent with an oversize child call to end");

        Assert.Equal("ok 5", lines[0]);
        Assert.StartsWith("PayloadTooLargeException: The input of task 'payload_limit.measure' is 10,002 bytes", lines[1]);
        Assert.Contains("limit of 4,096 bytes", lines[1]);
        Assert.Equal("ok 5", lines[2]);
        Assert.Equal(3, (await run.GetSummaryAsync()).TotalActions); // the oversize call never became an action
        var ids = (await run.GetActionsAsync()).Actions.Select(a => a.ActionId).ToList();
        Assert.Contains($"{run.Id}/payload_limit.measure#2", ids); // the call after it kept its position
    }

    [Fact]
    public async Task An_oversize_output_fails_the_action_without_retries_naming_the_limit()
    {
        var run = await _fanout.RunAsync(Produce, 5000);

        var failure = await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync(Deadlines.EmbeddedRun, "the run with an oversize output to fail"));
        Assert.Equal("Fanout.PayloadTooLargeException", failure.RemoteType);
        Assert.Contains("output of task 'payload_limit.produce'", failure.RemoteMessage);
        Assert.Equal(1, failure.Attempts);
    }

    [Fact]
    public async Task An_oversize_run_input_is_refused_before_the_run_starts()
    {
        var error = await Assert.ThrowsAsync<PayloadTooLargeException>(() => _fanout.RunAsync(Measure, new string('z', 5000)));
        Assert.Equal(Limit, error.Limit);
        Assert.Equal("payload_limit.measure", error.TaskName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FanoutRuntimeOptions { MaxPayloadBytes = 10 }.Validate());
    }

    public async Task DisposeAsync()
    {
        // Either may be missing when the start failed.
        if (_fanout is not null) await _fanout.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}

public sealed class PayloadLimitSpecsOnSqlite() : PayloadLimitSpecs(FanoutJournal.Sqlite);

public sealed class PayloadLimitSpecsOnPostgres() : PayloadLimitSpecs(FanoutJournal.PostgreSql);
