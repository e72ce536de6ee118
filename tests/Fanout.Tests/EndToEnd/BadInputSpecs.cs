using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.EndToEnd;

/// <summary>Bad input gets a clear exception naming what was wrong, and the runtime keeps serving.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class BadInputSpecs(RuntimeFixture fixture)
{
    private readonly FanoutRuntime _fanout = fixture.Runtime;

    [Fact]
    public async Task An_unknown_task_name_is_refused_with_the_known_names_and_the_runtime_keeps_serving()
    {
        _ = PatternTasks.Square; // defined, so it is among the known names
        var error = await Assert.ThrowsAsync<UnknownTaskException>(() => _fanout.RunAsync("patterns.no_such_task", "1"));

        Assert.Equal("patterns.no_such_task", error.TaskName);
        Assert.Contains("Unknown task 'patterns.no_such_task'", error.Message);
        Assert.Contains("patterns.square", error.Message);
        await AssertRuntimeStillServes();
    }

    [Fact]
    public async Task Input_JSON_that_does_not_fit_the_task_is_refused_naming_the_task_and_type()
    {
        _ = PatternTasks.Square;
        var error = await Assert.ThrowsAsync<InvalidTaskInputException>(() => _fanout.RunAsync("patterns.square", "{\"not\": \"an int\"}"));

        Assert.Equal("patterns.square", error.TaskName);
        Assert.Equal(typeof(int), error.ExpectedType);
        Assert.Contains("Int32", error.Message);
        await Assert.ThrowsAsync<InvalidTaskInputException>(() => _fanout.RunAsync("patterns.square", "{broken"));
        await AssertRuntimeStillServes();
    }

    [Fact]
    public async Task A_task_started_by_name_with_good_JSON_runs()
    {
        var run = await _fanout.RunAsync("patterns.square", "12");
        var result = await run.WaitAsync(Deadlines.EmbeddedRun, "the run started by name to end");

        Assert.Equal(JsonValueKind.Number, result.ValueKind);
        Assert.Equal(144, result.GetInt32());
    }

    [Fact]
    public void Task_types_that_cannot_round_trip_through_JSON_are_refused_when_the_task_is_defined()
    {
        var env = new TaskEnvironment("bad_types");

        var delegateInput = Assert.Throws<TaskTypeNotSerializableException>(() =>
            env.Task("takes_delegate", (Func<int> f) => Task.FromResult(1)));
        Assert.Equal("bad_types.takes_delegate", delegateInput.TaskName);
        Assert.Contains("delegate", delegateInput.Message);

        var interfaceOutput = Assert.Throws<TaskTypeNotSerializableException>(() =>
            env.Task("returns_interface", (int x) => Task.FromResult<IDisposable>(new MemoryStream())));
        Assert.Equal(typeof(IDisposable), interfaceOutput.Type);

        var lossy = Assert.Throws<TaskTypeNotSerializableException>(() =>
            env.Task("returns_lossy", (int x) => Task.FromResult(new Lossy(x))));
        Assert.Contains("'Doubled'", lossy.Message);

        var nested = Assert.Throws<TaskTypeNotSerializableException>(() =>
            env.Task("returns_nested", (int x) => Task.FromResult(new List<Holder>())));
        Assert.Contains("Callback", nested.Message);

        // And the kinds that do round-trip are accepted.
        env.Task("returns_record", (int x) => Task.FromResult(new Fine(x, [x])));
        env.Task("returns_tuple", (int x) => Task.FromResult((x, "y")));
        env.Task("returns_dictionary", (int x) => Task.FromResult(new Dictionary<string, int[]>()));
    }

    [Fact]
    public void Bad_names_and_options_are_refused_naming_the_setting()
    {
        Assert.Contains("'has space'", Assert.Throws<ArgumentException>(() => new TaskEnvironment("has space")).Message);
        var env = new TaskEnvironment("options_checks");
        var retries = Assert.Throws<ArgumentOutOfRangeException>(() =>
            env.Task("negative_retries", (int x) => Task.FromResult(x), new TaskOptions { Retries = -1 }));
        Assert.Equal("Retries", retries.ParamName);
        var duplicate = Assert.Throws<ArgumentException>(() => env.Task("twice", (int x) => Task.FromResult(x)) is not null
            ? env.Task("twice", (int x) => Task.FromResult(x))
            : null);
        Assert.Contains("already defined", duplicate.Message);

        var port = Assert.Throws<ArgumentOutOfRangeException>(() => new FanoutRuntimeOptions { Port = 70000 }.Validate());
        Assert.Equal("Port", port.ParamName);
        var name = Assert.Throws<ArgumentException>(() => new FanoutRuntimeOptions { SystemName = "a b" }.Validate());
        Assert.Equal("SystemName", name.ParamName);
    }

    [Fact]
    public async Task A_journal_path_that_cannot_be_opened_is_refused_naming_the_setting()
    {
        using var folder = new TempDirectory();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions { DatabasePath = folder.Path, HttpPort = null }));
        Assert.Equal("DatabasePath", error.ParamName);
    }

    [Fact]
    public async Task A_remoting_port_in_use_is_refused_naming_the_setting()
    {
        using var folder = new TempDirectory();
        var taken = (_fanout.ActorSystem as Akka.Actor.ExtendedActorSystem)!.Provider.DefaultAddress.Port!.Value;

        var error = await Assert.ThrowsAsync<FanoutException>(() => FanoutRuntime.StartEmbeddedAsync(
            new FanoutRuntimeOptions { DatabasePath = folder.File("j.db"), Port = taken, HttpPort = null }));

        Assert.Contains($"127.0.0.1:{taken}", error.Message);
        Assert.Contains("FanoutRuntimeOptions.Port", error.Message);
    }

    [Fact]
    public async Task An_HTTP_port_in_use_is_refused_naming_the_setting()
    {
        using var folder = new TempDirectory();
        var taken = _fanout.BaseUrl!.Port;

        var error = await Assert.ThrowsAsync<FanoutException>(() => FanoutRuntime.StartEmbeddedAsync(
            new FanoutRuntimeOptions { DatabasePath = folder.File("j.db"), HttpPort = taken }));

        Assert.Contains("FanoutRuntimeOptions.HttpPort", error.Message);
    }

    [Fact]
    public async Task Akka_config_that_breaks_the_actor_system_is_refused_naming_the_setting()
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<FanoutException>(() => FanoutRuntime.StartEmbeddedAsync(
            new FanoutRuntimeOptions { DatabasePath = folder.File("j.db"), HttpPort = null, AkkaConfig = "akka.loglevel = LOUD" }));

        Assert.Contains("LOUD", error.Message);
        Assert.Contains("AkkaConfig", error.Message);
    }

    [Fact]
    public async Task Querying_a_run_that_never_existed_says_so()
    {
        var ghost = _fanout.GetRun<int>("r-never-started");
        var error = await Assert.ThrowsAsync<FanoutException>(() => ghost.WaitAsync(Deadlines.EmbeddedRun, "the wait for a run that never existed to fail"));
        Assert.Contains("r-never-started", error.Message);
        await Assert.ThrowsAsync<FanoutException>(() => ghost.GetSummaryAsync());
    }

    private async Task AssertRuntimeStillServes()
    {
        var run = await _fanout.RunAsync(PatternTasks.GatherFanout, 5);
        Assert.Equal(new[] { 0, 1, 4, 9, 16 }, await run.WaitAsync(Deadlines.EmbeddedRun, "the gather run to end"));
    }

    public sealed class Lossy(int value)
    {
        public int Value { get; set; } = value;
        public int Doubled => Value * 2;

        public Lossy() : this(0)
        {
        }
    }

    public sealed class Holder
    {
        public Action? Callback { get; set; }
    }

    public sealed record Fine(int Id, int[] Values);
}
