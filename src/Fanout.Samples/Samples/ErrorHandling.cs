using static Fanout.Workflow;

namespace Fanout.Samples;

/// <summary>
/// Handling errors gracefully: some calls fail on purpose, and gathering with
/// <c>returnExceptions: true</c> hands back one outcome per call, value or exception, without throwing.
/// </summary>
internal static class ErrorHandling
{
    public static readonly TaskEnvironment Env = new("error_handling");

    public static readonly TaskDefinition<int, int> CheckedTask =
        Env.Task("checked_task", async (int i, CancellationToken ct) =>
        {
            await Task.Delay(1, ct); // some work
            if (i % 7 == 0)
                throw new InvalidOperationException($"{i} is a multiple of 7");
            return i * 10;
        });

    public static readonly TaskDefinition<int, ErrorReport> Main =
        Env.Task("error_handling_example", async (int n, CancellationToken ct) =>
        {
            var tasks = new List<Task<int>>();
            for (var i = 1; i <= n; i++)
                tasks.Add(CheckedTask.InvokeAsync(i));

            var results = await Gather(tasks, returnExceptions: true);

            var succeeded = new List<int>();
            var failed = new List<FailedCall>();
            for (var i = 0; i < results.Length; i++)
            {
                if (results[i].IsSuccess)
                    succeeded.Add(results[i].Value);
                else if (results[i].Exception is ActionFailedException e)
                    failed.Add(new FailedCall(Input: i + 1, e.RemoteType, e.RemoteMessage, e.Attempts));
                else // outside a run (a unit test) the task's own exception comes back
                    failed.Add(new FailedCall(Input: i + 1, results[i].Exception!.GetType().FullName!, results[i].Exception!.Message, 1));
            }
            return new ErrorReport(succeeded.ToArray(), failed.ToArray());
        });

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        var run = await fanout.RunAsync(Main, 50);
        Show.Url(run);
        var report = await run.WaitAsync();

        Show.Line("ok", $"{report.Succeeded.Length} call(s) succeeded");
        Show.Line("failed", $"{report.Failed.Length} call(s) failed, as planned:");
        foreach (var failure in report.Failed)
            Show.Line("", $"  checked_task({failure.Input}) after {failure.Attempts} attempt(s): {failure.Type}: {failure.Message}");

        // The journal keeps every failure too; the HTTP API serves the same list.
        var failedActions = await run.GetActionsAsync(new ActionQuery(Status: ActionStatus.Failed));
        Show.Line("journal", $"{failedActions.Total} failed action(s), e.g. {failedActions.Actions[0].ActionId}");
        Show.Line("", $"{run.Url}/actions?status=failed");
    }
}

/// <summary>What the error-handling sample's parent returns: the values of the calls that worked, and why the others failed.</summary>
internal sealed record ErrorReport(int[] Succeeded, FailedCall[] Failed);

/// <summary>One failed call: its input and the remote exception's type and message.</summary>
internal sealed record FailedCall(int Input, string Type, string Message, int Attempts);
