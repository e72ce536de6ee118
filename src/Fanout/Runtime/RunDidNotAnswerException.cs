namespace Fanout.Runtime;

/// <summary>
/// A run did not answer within the client's bound (its node restarting, its journal down). Callers see a
/// <see cref="FanoutException"/>; the HTTP API tells it apart to answer 503 (try again later) rather than 500.
/// </summary>
internal sealed class RunDidNotAnswerException(string message) : FanoutException(message);
