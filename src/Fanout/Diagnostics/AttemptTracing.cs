using System.Diagnostics;
using Fanout.Protocol;

namespace Fanout.Diagnostics;

/// <summary>
/// Fanout's <see cref="ActivitySource"/>: a span per attempt, and the trace context that links a child's attempt
/// to its parent's across nodes. Every entry point asks <see cref="ActivitySource.HasListeners"/> first, so with
/// no listener an attempt costs one check and carries nothing.
/// </summary>
internal static class AttemptTracing
{
    public static readonly ActivitySource Source = new(FanoutDiagnostics.ActivitySourceName);

    public const string RunIdTag = "fanout.run.id";
    public const string ActionIdTag = "fanout.action.id";
    public const string TaskTag = "fanout.task";
    public const string GroupTag = "fanout.group";
    public const string AttemptTag = "fanout.attempt";

    /// <summary>
    /// The context of the caller's current activity, for a run it starts (so the run's root is part of the
    /// caller's trace: an ASP.NET Core request's, say); null when nothing listens or there is none.
    /// </summary>
    public static TraceContext? CaptureCurrent() =>
        Source.HasListeners() && Activity.Current is { } current ? Of(current) : null;

    /// <summary>The context a child call carries: its parent attempt's span.</summary>
    public static TraceContext? Of(Activity? activity) =>
        activity?.Id is { } id && activity.IdFormat == ActivityIdFormat.W3C ? new TraceContext(id, activity.TraceStateString) : null;

    /// <summary>
    /// Starts the span of an attempt whose body is about to run, on the body's own flow (it becomes
    /// <see cref="Activity.Current"/> there, so spans the body starts nest under it); null when nothing listens
    /// or the listeners sample it out.
    /// </summary>
    public static Activity? StartAttempt(ExecuteAction execute)
    {
        if (!Source.HasListeners()) return null;
        // The body's flow inherits the executor thread's context, which is no caller's: only the carried context is a parent.
        Activity.Current = null;
        var parent = execute.Trace is { } carried && ActivityContext.TryParse(carried.Parent, carried.State, isRemote: true, out var parsed)
            ? parsed
            : default;
        var tags = new ActivityTagsCollection
        {
            [RunIdTag] = execute.RunId,
            [ActionIdTag] = execute.ActionId,
            [TaskTag] = execute.TaskName,
            [AttemptTag] = execute.Attempt,
        };
        if (!string.IsNullOrEmpty(execute.Group)) tags[GroupTag] = execute.Group;
        return Source.StartActivity(ActivityKind.Internal, parent, tags, name: execute.TaskName);
    }

    /// <summary>Ends an attempt's span; a body that threw leaves status Error and an exception event (a cancelled one only a tag).</summary>
    public static void End(Activity? activity, Exception? error, bool cancelled)
    {
        if (activity is null) return;
        if (error is not null && cancelled)
        {
            activity.SetTag("fanout.outcome", "cancelled");
        }
        else if (error is not null)
        {
            activity.SetTag("fanout.outcome", "failed");
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.AddException(error);
        }
        else
        {
            activity.SetTag("fanout.outcome", "succeeded");
        }
        activity.Stop();
    }
}
