using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>A child call awaiting its journaled outcome in its parent.</summary>
internal interface IChildCompletion
{
    void Complete(ChildOutcome outcome);

    void Fail(Exception reason);
}

/// <summary>
/// The task a child call returns, completed straight from the child's outcome: one object per call
/// (a parent of a million calls holds a million of these), instead of a completion source for the
/// outcome plus an async method turning it into the result.
/// </summary>
internal sealed class ChildCompletion<TOut>() : TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously),
    IChildCompletion
{
    // Parsing a small result where it arrives costs less than a hop to the thread pool; a large one is
    // parsed on the pool, so the executor delivering outcomes is never held up by one big payload.
    private const int ParseInlineUpTo = 4096;

    public void Complete(ChildOutcome outcome)
    {
        if (outcome.Kind == OutcomeKind.Succeeded && outcome.ResultJson is { Length: > ParseInlineUpTo })
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Completion.Settle(state.Outcome), (Completion: this, Outcome: outcome), preferLocal: false);
        else
            Settle(outcome);
    }

    public void Fail(Exception reason) => TrySetException(reason);

    private void Settle(ChildOutcome outcome)
    {
        try
        {
            switch (outcome.Kind)
            {
                case OutcomeKind.Succeeded:
                    TrySetResult(PayloadJson.Deserialize<TOut>(outcome.ResultJson ?? "null"));
                    break;
                case OutcomeKind.Cancelled:
                    TrySetException(new ActionCancelledException(outcome.ActionId, outcome.TaskName));
                    break;
                default:
                    TrySetException(new ActionFailedException(outcome.ActionId, outcome.TaskName, outcome.Attempts,
                        (outcome.Error ?? new ErrorInfo("Unknown", "no error was recorded", null)).ToPublic()));
                    break;
            }
        }
        catch (Exception e)
        {
            TrySetException(e); // a result that no longer parses as the caller's type
        }
    }
}
