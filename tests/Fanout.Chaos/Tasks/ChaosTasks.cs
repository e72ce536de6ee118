using static Fanout.Workflow;

namespace Fanout.Chaos.Tasks;

/// <summary>
/// The tasks of the chaos runs, one parent per pattern. The workers load this assembly for them
/// (FANOUT_TASK_ASSEMBLIES); every body first records its execution (<see cref="ExecutionLog"/>).
/// </summary>
internal static class ChaosTasks
{
    /// <summary>Retries of a flaky child: one more than the most it fails (<see cref="Spec.FailTimes"/>).</summary>
    public const int FlakyRetries = 3;

    /// <summary>Retries of an errors-as-values child, so a failing one runs twice before its failure is recorded.</summary>
    public const int CheckedRetries = 1;

    public static readonly TaskEnvironment Env = new("chaos");

    public static readonly TaskDefinition<LeafInput, long> Leaf = Env.Task("leaf", async (LeafInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("leaf", input.Key);
        await Task.Delay(input.DelayMs, ct);
        return Spec.LeafValue(input.Key);
    });

    public static readonly TaskDefinition<FanOutInput, long[]> FanOut = Env.Task("fan_out", async (FanOutInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("fan_out", input.Key);
        var calls = new List<Task<long>>();
        for (var i = 0; i < input.Width; i++) calls.Add(Leaf.InvokeAsync(LeafOf(input.Key, i, input.DelayMs)));
        return await Gather(calls);
    });

    public static readonly TaskDefinition<NestedInput, long> Nested = Env.Task("nested", async (NestedInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("nested", input.Key);
        var calls = new List<Task<long>>();
        for (var i = 0; i < input.Width; i++)
        {
            calls.Add(input.Depth == 1
                ? Leaf.InvokeAsync(LeafOf(input.Key, i, input.DelayMs))
                : Nested!.InvokeAsync(new NestedInput(Spec.Child(input.Key, $"{i}"), input.Depth - 1, input.Width, input.DelayMs)));
        }
        return (await Gather(calls)).Sum();
    });

    public static readonly TaskDefinition<MapInput, long[]> Mapped = Env.Task("map", async (MapInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("map", input.Key);
        var items = Enumerable.Range(0, input.Count).Select(i => LeafOf(input.Key, i, input.DelayMs));
        return await Map(Leaf, items, input.Concurrency);
    });

    public static readonly TaskDefinition<FlakyInput, long> Flaky = Env.Task("flaky", async (FlakyInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("flaky", input.Key);
        var execution = ExecutionLog.CountTry(input.Key);
        await Task.Delay(input.DelayMs, ct);
        return execution <= input.FailTimes
            ? throw new InvalidOperationException($"planned failure: execution {execution} of {input.Key}, which fails {input.FailTimes} time(s)")
            : Spec.LeafValue(input.Key);
    }, new TaskOptions { Retries = FlakyRetries, RetryBackoff = TimeSpan.FromMilliseconds(200), MaxRetryBackoff = TimeSpan.FromSeconds(1) });

    public static readonly TaskDefinition<RetriesInput, long[]> Retries = Env.Task("retries", async (RetriesInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("retries", input.Key);
        var calls = new List<Task<long>>();
        for (var i = 0; i < input.Children; i++)         {
            var key = Spec.Child(input.Key, $"{i}");
            calls.Add(Flaky.InvokeAsync(new FlakyInput(key, Spec.FailTimes(i), Spec.LeafDelay(key, input.DelayMs))));
        }
        return await Gather(calls);
    });

    public static readonly TaskDefinition<LeafInput, long> Checked = Env.Task("checked", async (LeafInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("checked", input.Key);
        await Task.Delay(input.DelayMs, ct);
        return Spec.AlwaysFails(input.Index) ? throw new InvalidOperationException(Spec.FailureMessage(input.Index)) : Spec.LeafValue(input.Key);
    }, new TaskOptions { Retries = CheckedRetries, RetryBackoff = TimeSpan.FromMilliseconds(100) });

    /// <summary>One line per child: "ok:VALUE" or "error:REMOTE TYPE:REMOTE MESSAGE".</summary>
    public static readonly TaskDefinition<ErrorsInput, string[]> Errors = Env.Task("errors", async (ErrorsInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("errors", input.Key);
        var calls = new List<Task<long>>();
        for (var i = 0; i < input.Children; i++) calls.Add(Checked.InvokeAsync(LeafOf(input.Key, i, input.DelayMs)));
        var outcomes = await Gather(calls, returnExceptions: true);
        return outcomes.Select(o => o.IsSuccess
            ? $"ok:{o.Value}"
            : o.Exception is ActionFailedException failed ? $"error:{failed.RemoteType}:{failed.RemoteMessage}" : $"error:{o.Exception!.GetType().FullName}:{o.Exception.Message}")
            .ToArray();
    });

    /// <summary>Each phase's sum; the phases run one after the other, each in its own group with a group per shard.</summary>
    public static readonly TaskDefinition<GroupsInput, long[]> Groups = Env.Task("groups", async (GroupsInput input, CancellationToken ct) =>
    {
        ExecutionLog.Started("groups", input.Key);
        var sums = new long[input.Phases];
        for (var phase = 0; phase < input.Phases; phase++)
        {
            var calls = new List<Task<long>>();
            using (Group($"phase-{phase}"))
            {
                for (var shard = 0; shard < input.Shards; shard++)
                {
                    using (Group($"shard-{shard}"))
                    {
                        for (var i = 0; i < input.PerShard; i++)
                            calls.Add(Leaf.InvokeAsync(LeafOf(Spec.Child(input.Key, $"p{phase}s{shard}"), i, input.DelayMs)));
                    }
                }
            }
            sums[phase] = (await Gather(calls)).Sum();
        }
        return sums;
    });

    private static LeafInput LeafOf(string parentKey, int index, int maxDelayMs)
    {
        var key = Spec.Child(parentKey, $"{index}");
        return new LeafInput(key, index, Spec.LeafDelay(key, maxDelayMs));
    }
}
