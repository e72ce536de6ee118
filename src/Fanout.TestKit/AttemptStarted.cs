namespace Fanout.TestKit;

/// <summary>
/// Published on a test runtime's event stream when an attempt's body starts (<see cref="FanoutTestKit.SubscribeToAttempts"/>),
/// so a <c>TestProbe</c> can <c>ExpectMsg</c> it.
/// </summary>
/// <param name="RunId">The run the action belongs to.</param>
/// <param name="ActionId">The action's id.</param>
/// <param name="TaskName">The full name of the action's task.</param>
/// <param name="Attempt">The attempt's number, from 1.</param>
public sealed record AttemptStarted(string RunId, string ActionId, string TaskName, int Attempt);
