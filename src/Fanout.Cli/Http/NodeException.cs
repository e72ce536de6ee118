namespace Fanout.Cli.Http;

/// <summary>
/// A request that did not get a usable answer: the node did not answer at all, or answered with an error
/// status. Its message is the one line the CLI prints on stderr.
/// </summary>
internal sealed class NodeException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the node answered with; null when it did not answer.</summary>
    public int? StatusCode { get; } = statusCode;
}
