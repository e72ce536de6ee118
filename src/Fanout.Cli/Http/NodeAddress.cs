namespace Fanout.Cli.Http;

/// <summary>Which node the CLI talks to: <c>--node</c>, else <c>FANOUT_NODE</c>, else the local cluster's first worker.</summary>
internal static class NodeAddress
{
    /// <summary>The environment variable that names the default node.</summary>
    public const string EnvironmentVariable = "FANOUT_NODE";

    /// <summary>The first worker of <c>deploy/local-cluster.sh</c> (worker i serves HTTP on 8080+i).</summary>
    public const string LocalDefault = "http://127.0.0.1:8081";

    /// <summary>
    /// The node's base URL (ending in '/'), or a problem naming where the bad value came from:
    /// a malformed address is a usage error, found before anything is sent.
    /// </summary>
    public static bool TryResolve(string? option, Func<string, string?> environment, out Uri? node, out string? problem)
    {
        var (text, source) = option is not null ? (option, "--node")
            : environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? (fromEnvironment, EnvironmentVariable)
            : (LocalDefault, "the default node");
        node = null;
        problem = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"{source} '{text}' is not an http:// or https:// URL (for example {LocalDefault})";
            return false;
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            problem = $"{source} '{text}' must be a node's base URL, without a query or fragment";
            return false;
        }
        node = uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        return true;
    }
}
