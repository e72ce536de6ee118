using Akka.Actor;
using Fanout.Clustering;
using Fanout.Runtime.Placement;

namespace Fanout.Tests.Runtime;

/// <summary>
/// How a run picks the executor for an attempt: the less loaded by what executors reported plus what the
/// run sent since, relative to their slots; never a full one; only one whose node has the role.
/// Plain code: no actor system.
/// </summary>
public sealed class ExecutorChooserSpecs
{
    private static ExecutorEntry Entry(string name, params string[] roles) =>
        new(new FakeExecutor(name), new Address("akka.tcp", "test", $"node-{name}", 1), [FanoutRoles.Worker, .. roles]);

    private static void Report(ExecutorEntry entry, int running, int waiting, int slots, bool full = false, int? maxWaiting = null) =>
        entry.Gauge.Update(new ExecutorLoad(entry.Executor, running, waiting, slots, maxWaiting ?? 10 * slots, full));

    private static ExecutorChooser Chooser(params ExecutorEntry[] executors)
    {
        var chooser = new ExecutorChooser(assumedSlots: 10, new Random(7));
        chooser.Use([.. executors]);
        return chooser;
    }

    private static Dictionary<string, int> Tally(ExecutorChooser chooser, int picks, string? role = null)
    {
        var tally = new Dictionary<string, int>();
        for (var i = 0; i < picks; i++)
        {
            var name = chooser.Choose(role)?.Path.Name ?? "none";
            tally[name] = tally.GetValueOrDefault(name) + 1;
        }
        return tally;
    }

    [Fact]
    public void The_less_loaded_executor_gets_the_attempts_until_what_the_run_sent_evens_them_out()
    {
        var (busy, idle) = (Entry("busy"), Entry("idle"));
        Report(busy, running: 10, waiting: 5, slots: 10);
        Report(idle, running: 2, waiting: 0, slots: 10);
        var chooser = Chooser(busy, idle);

        // idle is at 0.2 of its slots, busy at 1.5: the first 13 go to idle, after which they alternate.
        var first = Tally(chooser, 13);
        Assert.Equal(13, first.GetValueOrDefault("idle"));
        var next = Tally(chooser, 10);
        Assert.InRange(next.GetValueOrDefault("idle"), 4, 6);
        Assert.InRange(next.GetValueOrDefault("busy"), 4, 6);
    }

    [Fact]
    public void Load_is_measured_against_each_executors_slots()
    {
        var (large, small) = (Entry("large"), Entry("small"));
        Report(large, running: 60, waiting: 0, slots: 100); // 0.6 of its slots
        Report(small, running: 8, waiting: 0, slots: 10);   // 0.8
        Assert.Equal("large", Chooser(large, small).Choose(null)?.Path.Name);
    }

    [Fact]
    public void What_the_run_sent_counts_only_until_the_executors_next_report()
    {
        var (a, b) = (Entry("a"), Entry("b"));
        Report(a, 0, 0, 10);
        Report(b, 0, 0, 10);
        var chooser = Chooser(a, b);
        var tally = Tally(chooser, 10);
        Assert.Equal((5, 5), (tally["a"], tally["b"]));

        // a reports it is idle again (it ran what it got); b has not reported since: a gets the next five.
        Report(a, 0, 0, 10);
        Assert.Equal(5, Tally(chooser, 5).GetValueOrDefault("a"));
    }

    [Fact]
    public void With_many_executors_the_most_loaded_one_is_never_chosen()
    {
        var executors = Enumerable.Range(0, 4).Select(i => Entry($"x{i}")).ToArray();
        for (var i = 0; i < executors.Length; i++) Report(executors[i], running: 1, waiting: 100 * (i + 1), slots: 1, maxWaiting: 100_000);
        var tally = Tally(Chooser(executors), 60);

        // Two at random, the less loaded of them: the most loaded loses every pair it is in; the others get some.
        Assert.False(tally.ContainsKey("x3"), $"x3, the most loaded, was chosen {tally.GetValueOrDefault("x3")} time(s)");
        Assert.True(tally.GetValueOrDefault("x0") > tally.GetValueOrDefault("x1"), $"x0 {tally.GetValueOrDefault("x0")}, x1 {tally.GetValueOrDefault("x1")}");
        Assert.True(tally.GetValueOrDefault("x2") > 0, "x2 beats x3 when the two are picked together");
    }

    [Fact]
    public void A_full_executor_gets_nothing_and_when_all_are_full_there_is_no_choice()
    {
        var (full, open) = (Entry("full"), Entry("open"));
        Report(full, running: 0, waiting: 0, slots: 10, full: true); // full, though its numbers look idle
        Report(open, running: 50, waiting: 50, slots: 10);
        var chooser = Chooser(full, open);
        Assert.Equal(new Dictionary<string, int> { ["open"] = 5 }, Tally(chooser, 5));

        Report(open, running: 10, waiting: 100, slots: 10, full: true);
        Assert.Null(chooser.Choose(null));
        Assert.True(chooser.AllFull(null));
        Assert.True(chooser.AnyMayRun(null));

        // It has room for one more: it gets that one, and then nothing until its next report.
        Report(full, running: 10, waiting: 99, slots: 10);
        Assert.False(chooser.AllFull(null));
        Assert.Equal("full", chooser.Choose(null)?.Path.Name);
        Assert.Null(chooser.Choose(null));
    }

    [Fact]
    public void An_executor_that_turned_an_attempt_away_is_full_until_it_reports_again()
    {
        var (a, b) = (Entry("a"), Entry("b"));
        Report(a, 0, 0, 10);
        Report(b, 5, 0, 10);
        var chooser = Chooser(a, b);
        chooser.TurnedAway(a.Executor);

        Assert.Equal(new Dictionary<string, int> { ["b"] = 4 }, Tally(chooser, 4));
        chooser.TurnedAway(b.Executor);
        Assert.Null(chooser.Choose(null));
        Assert.True(chooser.AllFull(null));

        Report(a, 10, 3, 10); // it has room again
        Assert.Equal("a", chooser.Choose(null)?.Path.Name);
    }

    [Fact]
    public void An_executor_gets_no_more_than_the_room_it_reported_less_what_ended_there_since()
    {
        var (a, b) = (Entry("a"), Entry("b"));
        a.Gauge.Update(new ExecutorLoad(a.Executor, 10, 10, 10, MaxWaiting: 10, Full: true));
        b.Gauge.Update(new ExecutorLoad(b.Executor, 10, 60, 10, MaxWaiting: 100, Full: false)); // busier by far, not full
        var chooser = Chooser(a, b);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 2 }, Tally(chooser, 2));

        // a has room for 3 (7 of 10 wait): it is still the less loaded, but gets only those 3.
        a.Gauge.Update(new ExecutorLoad(a.Executor, 10, 7, 10, MaxWaiting: 10, Full: false));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 5 }, Tally(chooser, 8));

        // Two of what the run sent it ended (it reported them): room for two more.
        chooser.Ended(a.Executor, 2);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 }, Tally(chooser, 5));
    }

    [Fact]
    public void Only_executors_whose_node_has_the_role_are_chosen()
    {
        var (plain, gpu) = (Entry("plain"), Entry("gpu", "gpu"));
        Report(plain, 0, 0, 10);
        Report(gpu, 9, 50, 10);
        var chooser = Chooser(plain, gpu);

        Assert.Equal(new Dictionary<string, int> { ["gpu"] = 3 }, Tally(chooser, 3, role: "gpu"));
        Assert.False(chooser.AnyMayRun("tpu"));
        Assert.False(chooser.AllFull("tpu"));
        Assert.Null(chooser.Choose("tpu"));
    }

    [Fact]
    public void A_new_list_keeps_what_is_known_of_executors_still_in_it_and_a_restarted_executor_starts_fresh()
    {
        var (a, b) = (Entry("a"), Entry("b"));
        Report(a, 0, 0, 10);
        Report(b, 0, 0, 10);
        var chooser = Chooser(a, b);
        chooser.TurnedAway(a.Executor);

        var c = Entry("c");
        Report(c, 9, 0, 10);
        chooser.Use([a, b, c]);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 9 }, Tally(chooser, 9));

        // a restarted under the same path is a new entry (the directory found it again): nothing held against it.
        var restarted = new ExecutorEntry(a.Executor, a.Node, a.Roles);
        Assert.NotSame(a.Gauge, restarted.Gauge);
        chooser.Use([restarted, b, c]);
        Assert.Equal("a", chooser.Choose(null)?.Path.Name);
    }

    /// <summary>An actor reference with a path and nothing behind it: the chooser only compares and returns references.</summary>
    private sealed class FakeExecutor(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("akka.tcp", "test", $"node-{name}", 1)) / "user" / name;
        public override IActorRefProvider Provider => throw new NotSupportedException("no actor system here");
    }
}
