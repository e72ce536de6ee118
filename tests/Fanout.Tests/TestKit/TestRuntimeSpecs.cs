extern alias UsersTestKit;

using System.Diagnostics;
using UsersTestKit::Fanout.TestKit;
using Fanout.Tests.Support;
using static Fanout.Tests.UserTestKit.TestKitSpecTasks;
using Xunit.Abstractions;

namespace Fanout.Tests.UserTestKit;

/// <summary>
/// A test runtime runs the real run actor, executor and journal: retries and timeouts wait on its virtual clock, stubs
/// stand in for tasks on that runtime only, and nothing listens on a port.
/// </summary>
public sealed class TestRuntimeSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task A_child_retried_five_times_with_a_30_s_backoff_takes_750_virtual_seconds()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();
        var flaky = fanout.Stub(FlakyChild).FailsAttempts(5).Returns(x => x + 1);
        var real = Stopwatch.StartNew();

        var run = await fanout.RunAsync(FlakyParent, 41);
        var result = await run.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(42, result);
        Assert.Equal([1, 2, 3, 4, 5, 6], flaky.Calls.Select(c => c.Attempt));
        Assert.All(flaky.Calls, call => Assert.Equal(41, call.Input));
        Assert.Single(flaky.Calls.Select(c => c.ActionId).Distinct());
        Assert.True(fanout.Clock.Elapsed >= TimeSpan.FromSeconds(30 + 60 + 120 + 240 + 300), $"virtual time passed: {fanout.Clock.Elapsed}");
        (await fanout.ReportAsync(run)).AssertAttempts(FlakyChild, 6);
        output.WriteLine($"6 attempts over {fanout.Clock.Elapsed.TotalSeconds:F0} virtual seconds took {real.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task With_auto_advance_off_a_retry_waits_until_the_test_moves_the_clock()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync(new FanoutTestOptions { AutoAdvance = false });
        var flaky = fanout.Stub(FlakyChild).FailsAttempts(1).Returns(x => x);

        var run = await fanout.RunAsync(FlakyParent, 7);
        await Eventually.True(() => fanout.Clock.NextDue == TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20),
            "the first retry's 30 s backoff to be on the clock");

        fanout.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, flaky.CallCount);
        Assert.Equal(RunStatus.Running, await run.GetStatusAsync());

        fanout.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(7, await run.WaitAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, flaky.CallCount);
    }

    [Fact]
    public async Task A_child_that_hangs_times_out_after_ten_virtual_minutes()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();
        fanout.Stub(SlowChild).Hangs();

        var run = await fanout.RunAsync(SlowParent, 1);
        await Assert.ThrowsAsync<ActionFailedException>(() => run.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        var child = Assert.Single((await fanout.ReportAsync(run)).ActionsOf(SlowChild, ActionStatus.Failed));
        Assert.Equal("System.TimeoutException", child.Error?.Type);
        Assert.Contains("timed out after 600 s", child.Error?.Message);
        Assert.True(fanout.Clock.Elapsed >= TimeSpan.FromMinutes(10), $"virtual time passed: {fanout.Clock.Elapsed}");
    }

    [Fact]
    public async Task A_stub_that_takes_virtual_time_succeeds_within_its_timeout_and_times_out_beyond_it()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();
        var slow = fanout.Stub(SlowChild).TakesTime(TimeSpan.FromMinutes(9)).Returns(x => x * 2);

        Assert.Equal(4, await (await fanout.RunAsync(SlowParent, 2)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(9), fanout.Clock.Elapsed);

        slow.TakesTime(TimeSpan.FromMinutes(11));
        var late = await fanout.RunAsync(SlowParent, 3);
        await Assert.ThrowsAsync<ActionFailedException>(() => late.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        var child = Assert.Single((await fanout.ReportAsync(late)).ActionsOf(SlowChild, ActionStatus.Failed));
        Assert.Equal("System.TimeoutException", child.Error?.Type);
    }

    [Fact]
    public async Task A_stub_stands_in_on_its_own_runtime_only_and_can_be_taken_away()
    {
        await using var stubbed = await FanoutTestRuntime.StartAsync();
        await using var plain = await FanoutTestRuntime.StartAsync();
        var child = stubbed.Stub(Child).Returns(x => -x);

        var fromStub = await (await stubbed.RunAsync(Parent, 3)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var fromTask = await (await plain.RunAsync(Parent, 3)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0, -1, -2], fromStub);
        Assert.Equal([0, 10, 20], fromTask);
        Assert.Equal([0, 1, 2], child.Inputs.Order());

        Assert.True(stubbed.RemoveStub(Child));
        var afterRemoval = await (await stubbed.RunAsync(Parent, 3)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 10, 20], afterRemoval);
        Assert.Equal(3, child.CallCount);
    }

    [Fact]
    public async Task Errors_from_a_throwing_stub_are_collected_by_the_parent()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();
        fanout.Stub(Child).Returns(x => x == 1 ? throw new ArgumentException("one is not allowed") : x);

        var results = await (await fanout.RunAsync(ParentKeepingErrors, 3)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["ok 0", "failed System.ArgumentException", "ok 2"], results);
    }

    [Fact]
    public async Task A_stub_told_nothing_fails_its_attempt_saying_what_to_do()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();
        fanout.Stub(Child);

        var failed = await Assert.ThrowsAsync<ActionFailedException>(async () => await (await fanout.RunAsync(Child, 1)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("testkit_specs.child", failed.RemoteMessage);
        Assert.Contains("Returns", failed.RemoteMessage);
    }

    [Fact]
    public async Task The_runtime_uses_the_in_process_transport_and_no_HTTP_port()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync();

        Assert.Equal("akka.test", Akka.Cluster.Cluster.Get(fanout.ActorSystem).SelfAddress.Protocol);
        Assert.Null(fanout.Runtime.BaseUrl);
        var result = await (await fanout.RunAsync(Parent, 2)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 10], result);
    }

    [Fact]
    public async Task Asked_for_loopback_remoting_the_runtime_listens_on_a_TCP_port_and_works_the_same()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync(new FanoutTestOptions { UseLoopbackRemoting = true });
        fanout.Stub(Child).Returns(x => x + 100);

        var address = Akka.Cluster.Cluster.Get(fanout.ActorSystem).SelfAddress;
        var result = await (await fanout.RunAsync(Parent, 2)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(("akka.tcp", "127.0.0.1"), (address.Protocol, address.Host));
        Assert.True(address.Port > 0);
        Assert.Equal([100, 101], result);
    }

    [Fact]
    public async Task A_run_that_never_ends_fails_its_test_saying_what_it_did()
    {
        await using var fanout = await FanoutTestRuntime.StartAsync(new FanoutTestOptions { RunTimeout = TimeSpan.FromSeconds(2) });
        fanout.Stub(Child).ReturnsAsync(async (x, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);   // a body that never returns: no timeout set, nothing on the clock
            return x;
        });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => fanout.RunToEndAsync(Parent, 2));

        Assert.Contains("of testkit_specs.parent did not end within 2 s (FanoutTestOptions.RunTimeout)", error.Message);
        Assert.Contains("testkit_specs.child: 2 Running", error.Message);
    }

    [Fact]
    public async Task Bad_options_are_refused_naming_the_property()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            FanoutTestRuntime.StartAsync(new FanoutTestOptions { QuietPeriod = TimeSpan.Zero }));
        Assert.Equal("QuietPeriod", error.ParamName);
    }

    [Fact]
    public async Task Prints_what_a_test_runtime_costs_to_start_and_stop()
    {
        // Figures only (speed is never asserted): the first start pays the process's one-time costs.
        var starts = new List<double>();
        var stops = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            var fanout = await FanoutTestRuntime.StartAsync();
            starts.Add(watch.Elapsed.TotalMilliseconds);
            var result = await (await fanout.RunAsync(Parent, 1)).WaitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal([0], result);
            watch.Restart();
            await fanout.DisposeAsync();
            stops.Add(watch.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"test runtime start (ms): {string.Join(", ", starts.Select(s => s.ToString("F0")))}");
        output.WriteLine($"test runtime stop  (ms): {string.Join(", ", stops.Select(s => s.ToString("F0")))}");
        output.WriteLine($"after the first: start {starts.Skip(1).Average():F0} ms, stop {stops.Skip(1).Average():F0} ms on average");
    }
}
