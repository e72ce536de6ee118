using System.Collections;

namespace Fanout.Chaos.Patterns;

/// <summary>Builds a <see cref="PlannedRun"/> from a task, its input and the result it must give.</summary>
internal static class RunPlans
{
    public static PlannedRun Create<TIn, TOut>(string pattern, string key, string shape, TaskDefinition<TIn, TOut> task, TIn input,
        TOut expected, IReadOnlyDictionary<(string, string), int> bodies, Func<RunSummary, string?>? summaryCheck = null) => new()
    {
        Pattern = pattern,
        Key = key,
        Shape = shape,
        Bodies = bodies,
        StartAsync = async (client, runId, ct) =>
        {
            var handle = await client.RunAsync(task, input, new RunOptions { RunId = runId }, ct);
            return new StartedRun(handle.Id, summaryCt => handle.GetSummaryAsync(summaryCt), async waitCt =>
            {
                TOut result;
                try
                {
                    result = await handle.WaitAsync(waitCt);
                }
                catch (ActionFailedException e)
                {
                    return $"the run failed: action {e.ActionId} ({e.TaskName}) after {e.Attempts} attempt(s): {e.RemoteType}: {e.RemoteMessage}";
                }
                catch (RunCancelledException)
                {
                    return "the run was cancelled (the harness cancels nothing)";
                }
                if (Difference(result, expected) is { } difference) return $"wrong result: {difference}";
                return summaryCheck is null ? null : summaryCheck(await handle.GetSummaryAsync(waitCt));
            });
        },
    };

    /// <summary>Where <paramref name="actual"/> differs from <paramref name="expected"/> (arrays element by element), or null.</summary>
    private static string? Difference<T>(T actual, T expected)
    {
        if (actual is IList got && expected is IList want)
        {
            if (got.Count != want.Count) return $"{got.Count} item(s), expected {want.Count}";
            for (var i = 0; i < got.Count; i++)
                if (!Equals(got[i], want[i])) return $"item {i} is '{got[i]}', expected '{want[i]}'";
            return null;
        }
        return Equals(actual, expected) ? null : $"'{actual}', expected '{expected}'";
    }
}
