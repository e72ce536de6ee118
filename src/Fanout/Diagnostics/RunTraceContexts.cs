using Fanout.Protocol;
using Fanout.Runtime;

namespace Fanout.Diagnostics;

/// <summary>
/// The trace contexts a run received with its start and its children's calls, kept until each action ends so
/// every attempt it sends (retries included) carries its parent's context. In memory only: empty, and free,
/// when nobody traces; a run that recovers after a crash starts its remaining attempts in new traces.
/// </summary>
internal sealed class RunTraceContexts
{
    private Dictionary<string, TraceContext>? _byAction;

    /// <summary>Keeps the context a new action's call or start carried (until <see cref="Forget"/>, when it ends).</summary>
    public void Remember(string actionId, TraceContext? context)
    {
        if (context is null) return;
        (_byAction ??= new Dictionary<string, TraceContext>(StringComparer.Ordinal)).TryAdd(actionId, context);
    }

    public void Forget(string actionId)
    {
        if (_byAction is { Count: > 0 } byAction) byAction.Remove(actionId);
    }

    /// <summary>The attempt with its action's trace context and group (for the span's tags), when the action has one.</summary>
    public ExecuteAction Stamp(ExecuteAction execute, ActionRecord action) =>
        _byAction is { Count: > 0 } byAction && byAction.TryGetValue(action.Id, out var context)
            ? execute with { Trace = context, Group = action.Group.Length == 0 ? null : action.Group }
            : execute;
}
