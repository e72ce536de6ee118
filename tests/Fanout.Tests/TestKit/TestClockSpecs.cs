extern alias UsersTestKit;

using Fanout.Protocol;
using UsersTestKit::Fanout.TestKit;
using Fanout.Tests.Support;

namespace Fanout.Tests.UserTestKit;

/// <summary>The virtual clock alone: what Advance fires, what cancelling forgets, and when it skips ahead by itself.</summary>
public sealed class TestClockSpecs : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<TestClock> _clocks = [];

    private TestClock Clock(RuntimeActivity activity, bool autoAdvance = false)
    {
        var clock = new TestClock(Start, autoAdvance, TimeSpan.FromMilliseconds(10), activity);
        _clocks.Add(clock);
        return clock;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var clock in _clocks) await clock.StopAsync();
    }

    [Fact]
    public async Task Advance_fires_the_waits_that_fall_due_in_order_and_no_others()
    {
        var clock = Clock(new RuntimeActivity());
        var fired = new List<string>();
        var late = clock.Delay(TimeSpan.FromMinutes(10)).ContinueWith(_ => { lock (fired) fired.Add("10 min"); }, TaskContinuationOptions.ExecuteSynchronously);
        var early = clock.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => { lock (fired) fired.Add("30 s"); }, TaskContinuationOptions.ExecuteSynchronously);

        clock.Advance(TimeSpan.FromMinutes(5));
        await early;

        Assert.Equal(["30 s"], fired);
        Assert.False(late.IsCompleted);
        Assert.Equal(TimeSpan.FromMinutes(5), clock.Elapsed);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), clock.Now);
        Assert.Equal(TimeSpan.FromMinutes(5), clock.NextDue);

        clock.Advance(TimeSpan.FromMinutes(5));
        await late;
        Assert.Equal(["30 s", "10 min"], fired);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task A_cancelled_wait_never_fires_and_leaves_the_clock()
    {
        var clock = Clock(new RuntimeActivity());
        using var cancel = new CancellationTokenSource();
        var wait = clock.Delay(TimeSpan.FromSeconds(30), cancel.Token);
        Assert.Equal(1, clock.PendingTimers);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, clock.PendingTimers);
        Assert.False(clock.AdvanceToNext());
    }

    [Fact]
    public async Task The_clock_never_goes_back()
    {
        var clock = Clock(new RuntimeActivity());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Equal("by", error.ParamName);
    }

    [Fact]
    public async Task Auto_advance_skips_to_the_next_wait_when_nothing_is_busy()
    {
        var clock = Clock(new RuntimeActivity(), autoAdvance: true);

        await clock.Delay(TimeSpan.FromHours(3)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromHours(3), clock.Elapsed);
    }

    [Fact]
    public async Task Auto_advance_waits_while_a_body_is_busy_and_goes_on_when_it_ends_or_waits_on_time()
    {
        var activity = new RuntimeActivity();
        var clock = Clock(activity, autoAdvance: true);
        var busy = new ExecuteAction("a1", "run", "testkit_specs.child", "1", Attempt: 1, TimeoutMs: 0);
        activity.BodyStarted(busy);
        var wait = clock.Delay(TimeSpan.FromMinutes(1));

        await LetTheLoopLook(clock);
        Assert.False(wait.IsCompleted, "the clock skipped ahead while a body was busy");

        using (activity.WaitingOnTime())
            await wait.WaitAsync(TimeSpan.FromSeconds(10));   // a body waiting on the clock does not hold it

        var next = clock.Delay(TimeSpan.FromMinutes(1));
        await LetTheLoopLook(clock);
        Assert.False(next.IsCompleted, "the clock skipped ahead while a body was busy");
        activity.AttemptEnded(busy, report: null);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMinutes(2), clock.Elapsed);
    }

    [Fact]
    public async Task With_auto_advance_off_only_Advance_moves_time()
    {
        var clock = Clock(new RuntimeActivity(), autoAdvance: false);
        var wait = clock.Delay(TimeSpan.FromSeconds(1));

        await LetTheLoopLook(clock);

        Assert.False(wait.IsCompleted);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.True(clock.AdvanceToNext());
        await wait;
    }

    /// <summary>Waits until the auto-advance loop has looked at the runtime a few more times (well past its quiet period).</summary>
    private static Task LetTheLoopLook(TestClock clock)
    {
        var target = clock.AutoAdvanceChecks + 20;
        return Eventually.True(() => clock.AutoAdvanceChecks >= target, TimeSpan.FromSeconds(10), "the clock's auto-advance loop to look 20 more times");
    }
}
