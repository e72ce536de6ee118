namespace Fanout.Protocol;

/// <summary>Runs attempt <see cref="Attempt"/> of an action on whichever node hosts its entity.</summary>
internal sealed record ExecuteAction(
    string ActionId, string RunId, string TaskName, string InputJson, int Attempt, long TimeoutMs) : IActionMessage;

/// <summary>Fires the cancellation token of the action's running attempt.</summary>
internal sealed record CancelAction(string ActionId, string Reason) : IActionMessage;
