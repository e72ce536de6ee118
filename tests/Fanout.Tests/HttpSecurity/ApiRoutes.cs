using Fanout.Tests.EndToEnd;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// One request for every guarded route of the HTTP API, with a body that is harmless when it is let through (no node
/// leaves or joins: the address commands get malformed addresses), and the status an operator gets for it.
/// </summary>
public sealed record ApiRoute(string Method, string Pattern, string Path, string? Body, int OperatorStatus)
{
    public bool IsWrite => Method != "GET";

    public bool IsStream => Pattern is "/cluster/events" or "/ui/runs/{runId}/events";

    public override string ToString() => $"{Method} {Path}";

    public static IReadOnlyList<ApiRoute> All(string runId) =>
    [
        new("GET", "/tasks", "/tasks", null, 200),
        new("GET", "/runs", "/runs", null, 200),
        new("GET", "/runs/{runId}", $"/runs/{runId}", null, 200),
        new("GET", "/runs/{runId}/actions", $"/runs/{runId}/actions", null, 200),
        new("GET", "/runs/{runId}/action", $"/runs/{runId}/action?id={runId}", null, 200),
        new("GET", "/cluster", "/cluster", null, 200),
        new("GET", "/cluster/events", "/cluster/events", null, 200),
        new("GET", "/sharding/regions", "/sharding/regions", null, 200),
        new("GET", "/sharding/region-stats", "/sharding/region-stats", null, 400),
        new("GET", "/sharding/shard-stats", "/sharding/shard-stats", null, 400),
        new("GET", "/actors", "/actors", null, 200),
        new("GET", "/executors", "/executors", null, 200),
        new("GET", "/", "/", null, 302),
        new("GET", "/ui", "/ui", null, 302),
        new("GET", "/ui/runs", "/ui/runs", null, 200),
        new("GET", "/ui/runs/{runId}", $"/ui/runs/{runId}", null, 200),
        new("GET", "/ui/runs/{runId}/actions", $"/ui/runs/{runId}/actions", null, 200),
        new("GET", "/ui/runs/{runId}/action", $"/ui/runs/{runId}/action?id={runId}", null, 200),
        new("GET", "/ui/runs/{runId}/events", $"/ui/runs/{runId}/events", null, 200),
        new("GET", "/ui/cluster", "/ui/cluster", null, 200),
        new("GET", "/ui/start", "/ui/start", null, 200),
        new("GET", "/ui/{**rest}", "/ui/no-such-page", null, 404),
        new("POST", "/runs", "/runs", $"{{\"task\": \"{PatternTasks.Square.Name}\", \"input\": 3}}", 201),
        new("POST", "/runs/{runId}/cancel", $"/runs/{runId}/cancel", null, 200),
        new("POST", "/runs/purge", "/runs/purge", "{\"olderThan\": \"7d\"}", 200),
        new("POST", "/cluster/leave", "/cluster/leave", "{\"address\": \"not-an-address\"}", 400),
        new("POST", "/cluster/down", "/cluster/down", "{\"address\": \"not-an-address\"}", 400),
        new("POST", "/cluster/join", "/cluster/join", "{\"address\": \"not-an-address\"}", 400),
        new("POST", "/cluster/down-unreachable", "/cluster/down-unreachable", null, 202),
    ];

    /// <summary>The probes, which need no token.</summary>
    public static readonly string[] Probes = ["GET /health", "GET /health/live", "GET /health/ready"];

    /// <summary>The login page and what it loads, which a browser without a token must reach (and signing out).</summary>
    public static readonly string[] LoginPages = ["GET /ui/login", "POST /ui/login", "POST /ui/logout", "GET /ui/assets/{name}"];
}
