namespace Fanout.TestKit;

/// <summary>
/// Published on a test runtime's event stream when an attempt ends on its node (<see cref="FanoutTestKit.SubscribeToAttempts"/>).
/// A failed attempt the run retries is followed, after its backoff on the <see cref="TestClock"/>, by the next attempt's
/// <see cref="AttemptStarted"/>.
/// </summary>
/// <param name="RunId">The run the action belongs to.</param>
/// <param name="ActionId">The action's id.</param>
/// <param name="TaskName">The full name of the action's task.</param>
/// <param name="Attempt">The attempt's number, from 1.</param>
/// <param name="Outcome">How it ended: succeeded, failed or cancelled.</param>
/// <param name="ErrorType">The exception's type name when it failed or was cancelled.</param>
/// <param name="ErrorMessage">The exception's message when it failed or was cancelled.</param>
public sealed record AttemptEnded(string RunId, string ActionId, string TaskName, int Attempt, AttemptOutcome Outcome,
    string? ErrorType, string? ErrorMessage);
