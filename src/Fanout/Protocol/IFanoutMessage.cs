namespace Fanout.Protocol;

/// <summary>
/// Marks every message and journal event that Fanout's own serializer handles. Config binds this
/// interface to <see cref="FanoutSerializer"/>, so anything that may cross a node or reach the
/// journal goes through System.Text.Json with a short manifest, never Akka's default serializer.
/// </summary>
internal interface IFanoutMessage;

/// <summary>A message routed to the run entity named by <see cref="RunId"/>.</summary>
internal interface IRunMessage : IFanoutMessage
{
    string RunId { get; }
}

/// <summary>A message for a node's <c>ActionExecutor</c> about the attempt of the action named by <see cref="ActionId"/>.</summary>
internal interface IActionMessage : IFanoutMessage
{
    string ActionId { get; }
}
