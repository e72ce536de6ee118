using Fanout.Chaos.Tasks;

namespace Fanout.Chaos.Patterns;

/// <summary>
/// The patterns the harness keeps going, each a function from a run key and a random source to a planned
/// run with its expected result computed here, from <see cref="Spec"/> alone. Sizes are drawn so that a
/// run lasts some seconds on a small cluster: long enough for a fault to land in the middle of it.
/// </summary>
internal static class PatternCatalog
{
    public static readonly IReadOnlyList<(string Name, Func<string, Random, PlannedRun> Plan)> All =
    [
        ("fan-out", FanOut),
        ("nested", Nested),
        ("map", Map),
        ("retries", Retries),
        ("errors", Errors),
        ("groups", Groups),
    ];

    private static PlannedRun FanOut(string key, Random rng)
    {
        var (width, delay) = (rng.Next(60, 201), rng.Next(200, 801));
        var bodies = Bodies(("fan_out", key));
        var expected = new long[width];
        for (var i = 0; i < width; i++) expected[i] = Leaf(bodies, Spec.Child(key, $"{i}"));
        return RunPlans.Create("fan-out", key, $"{width} leaves of up to {delay} ms", ChaosTasks.FanOut, new FanOutInput(key, width, delay), expected, bodies);
    }

    private static PlannedRun Nested(string key, Random rng)
    {
        var depth = rng.Next(2, 4);
        var width = depth == 3 ? rng.Next(4, 7) : rng.Next(6, 13);
        var delay = rng.Next(200, 801);
        var bodies = Bodies();
        var expected = Tree(bodies, key, depth, width);
        return RunPlans.Create("nested", key, $"depth {depth}, width {width}, leaves of up to {delay} ms", ChaosTasks.Nested,
            new NestedInput(key, depth, width, delay), expected, bodies);
    }

    // The sum of the subtree's leaves, noting every body of it in the plan.
    private static long Tree(Dictionary<(string, string), int> bodies, string key, int depth, int width)
    {
        bodies[("nested", key)] = 1;
        var sum = 0L;
        for (var i = 0; i < width; i++)
        {
            var child = Spec.Child(key, $"{i}");
            sum += depth == 1 ? Leaf(bodies, child) : Tree(bodies, child, depth - 1, width);
        }
        return sum;
    }

    private static PlannedRun Map(string key, Random rng)
    {
        var (count, concurrency, delay) = (rng.Next(60, 201), rng.Next(4, 13), rng.Next(100, 401));
        var bodies = Bodies(("map", key));
        var expected = new long[count];
        for (var i = 0; i < count; i++) expected[i] = Leaf(bodies, Spec.Child(key, $"{i}"));
        return RunPlans.Create("map", key, $"{count} items, {concurrency} at once, up to {delay} ms", ChaosTasks.Mapped,
            new MapInput(key, count, concurrency, delay), expected, bodies);
    }

    private static PlannedRun Retries(string key, Random rng)
    {
        var (children, delay) = (rng.Next(30, 81), rng.Next(200, 801));
        var bodies = Bodies(("retries", key));
        var expected = new long[children];
        for (var i = 0; i < children; i++)
        {
            var child = Spec.Child(key, $"{i}");
            bodies[("flaky", child)] = Spec.FailTimes(i) + 1;
            expected[i] = Spec.LeafValue(child);
        }
        return RunPlans.Create("retries", key, $"{children} children failing 0-2 times, up to {delay} ms", ChaosTasks.Retries,
            new RetriesInput(key, children, delay), expected, bodies);
    }

    private static PlannedRun Errors(string key, Random rng)
    {
        var (children, delay) = (rng.Next(40, 121), rng.Next(200, 801));
        var bodies = Bodies(("errors", key));
        var expected = new string[children];
        for (var i = 0; i < children; i++)
        {
            var child = Spec.Child(key, $"{i}");
            var fails = Spec.AlwaysFails(i);
            bodies[("checked", child)] = fails ? ChaosTasks.CheckedRetries + 1 : 1;
            expected[i] = fails ? $"error:{typeof(InvalidOperationException).FullName}:{Spec.FailureMessage(i)}" : $"ok:{Spec.LeafValue(child)}";
        }
        return RunPlans.Create("errors", key, $"{children} children, every 5th failing", ChaosTasks.Errors, new ErrorsInput(key, children, delay), expected, bodies);
    }

    private static PlannedRun Groups(string key, Random rng)
    {
        var (phases, shards, perShard, delay) = (rng.Next(2, 5), rng.Next(2, 5), rng.Next(6, 16), rng.Next(200, 801));
        var bodies = Bodies(("groups", key));
        var expected = new long[phases];
        for (var phase = 0; phase < phases; phase++)
            for (var shard = 0; shard < shards; shard++)
                for (var i = 0; i < perShard; i++)
                    expected[phase] += Leaf(bodies, Spec.Child(Spec.Child(key, $"p{phase}s{shard}"), $"{i}"));
        return RunPlans.Create("groups", key, $"{phases} phases x {shards} shards x {perShard} leaves", ChaosTasks.Groups,
            new GroupsInput(key, phases, shards, perShard, delay), expected, bodies, summary => GroupCounts(summary, phases, shards, perShard));
    }

    // Every shard's group must hold exactly its leaves, all succeeded: labels survive a parent's re-run.
    private static string? GroupCounts(RunSummary summary, int phases, int shards, int perShard)
    {
        for (var phase = 0; phase < phases; phase++)
        {
            for (var shard = 0; shard < shards; shard++)
            {
                var path = Spec.GroupPath(phase, shard);
                var group = summary.Groups.FirstOrDefault(g => g.Group == path);
                var succeeded = group?.Counts.GetValueOrDefault(ActionStatus.Succeeded) ?? 0;
                if (group is null || group.Total != perShard || succeeded != perShard)
                    return $"group {path} counts {group?.Total ?? 0} action(s), {succeeded} succeeded; expected {perShard} succeeded " +
                           $"(groups: {string.Join(", ", summary.Groups.Select(g => $"{g.Group}={g.Total}"))})";
            }
        }
        return null;
    }

    private static Dictionary<(string, string), int> Bodies(params (string Task, string Key)[] once) => once.ToDictionary(b => b, _ => 1);

    private static long Leaf(Dictionary<(string, string), int> bodies, string key)
    {
        bodies[("leaf", key)] = 1;
        return Spec.LeafValue(key);
    }
}
