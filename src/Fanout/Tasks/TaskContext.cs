using Fanout.Runtime;

namespace Fanout;

/// <summary>
/// Which action a task body is running as: read <see cref="Current"/> in a body to make its side effects
/// idempotent. A body runs at least once, not exactly once (an attempt whose node was lost, or whose
/// timeout passed while it kept running, may overlap with the next attempt), so a side effect that must
/// happen once should be keyed by <see cref="ActionId"/>: it is the same in every attempt of the action,
/// in every run of a parent that calls it again after a crash, and unique in the cluster.
/// </summary>
/// <example>
/// <code>
/// var context = TaskContext.Current;
/// // The payment provider ignores a second request with the same key.
/// await payments.ChargeAsync(order, idempotencyKey: context?.ActionId ?? $"test-{order.Id}");
/// </code>
/// </example>
public sealed class TaskContext
{
    private TaskContext(string runId, string actionId, int attempt)
    {
        RunId = runId;
        ActionId = actionId;
        Attempt = attempt;
    }

    /// <summary>
    /// The action whose body is running on this call path (it flows through <c>await</c>s and into tasks
    /// the body starts); null outside any run, including when a task is called inline, as a plain function,
    /// with no runtime (a unit test calling <see cref="TaskDefinition{TIn,TOut}.InvokeAsync"/>).
    /// </summary>
    public static TaskContext? Current => ActionContext.Current is { } action
        ? new TaskContext(action.RunId, action.ActionId, action.Attempt)
        : null;

    /// <summary>The run the action belongs to: <see cref="RunOptions.RunId"/> when the caller chose it.</summary>
    public string RunId { get; }

    /// <summary>
    /// The action's id, such as <c>invoice-42/phase-1/billing.charge#3</c> (the root action's id is the run id).
    /// Deterministic: the same for every attempt of the action, so it is the key to make a side effect idempotent.
    /// </summary>
    public string ActionId { get; }

    /// <summary>
    /// Which attempt of the action this is, from 1: a retry after a failure, a timeout or a lost node is attempt 2,
    /// and so on. Two attempts of one action may overlap (see <see cref="TaskContext"/>), so it is not a lock: key side effects by <see cref="ActionId"/>.
    /// </summary>
    public int Attempt { get; }
}
