namespace Fanout.ClusterApp;

/// <summary>A fan-out that puts every item in a group of its own, with names as long as asked: the most groups a run can have.</summary>
public static class GroupTasks
{
    public static readonly TaskEnvironment Env = new("groups");

    public static readonly TaskDefinition<int, int> Item = Env.Task("item", (int i) => Task.FromResult(i));

    /// <summary>Calls <c>Groups</c> items, each in its own group named <c>NameLength</c> characters long; returns how many ended.</summary>
    public static readonly TaskDefinition<(int Groups, int NameLength), int> OnePerGroup = Env.Task("one-per-group",
        async ((int Groups, int NameLength) order) =>
        {
            var prefix = new string('g', Math.Max(1, order.NameLength - 9));
            var calls = new List<Task<int>>(order.Groups);
            for (var i = 0; i < order.Groups; i++)
                using (Workflow.Group($"{prefix}-{i:D8}"))
                    calls.Add(Item.InvokeAsync(i));
            return (await Workflow.Gather(calls)).Length;
        });
}
