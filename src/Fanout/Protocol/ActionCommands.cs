namespace Fanout.Protocol;

/// <summary>Runs attempt <see cref="Attempt"/> of an action on the node whose executor receives it.</summary>
internal sealed record ExecuteAction(
    string ActionId, string RunId, string TaskName, string InputJson, int Attempt, long TimeoutMs) : IActionMessage;

/// <summary>Fires the cancellation token of the action's running attempt (or drops it from the node's queue).</summary>
internal sealed record CancelAction(string ActionId, string Reason) : IActionMessage;
