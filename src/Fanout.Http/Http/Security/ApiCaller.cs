using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>Who a request comes from, as <see cref="ApiAuthentication"/> decided; kept in the request's items.</summary>
internal enum ApiCaller
{
    /// <summary>Presented the operator token: may do everything.</summary>
    Operator,

    /// <summary>Presented the viewer token: may read.</summary>
    Viewer,

    /// <summary>No token is configured and the API listens on loopback only: a developer's own machine, open as always.</summary>
    OpenLoopback,

    /// <summary>No token is configured, beyond loopback, by <see cref="FanoutRuntimeOptions.AllowAnonymousApi"/>: anyone.</summary>
    Anonymous,
}

/// <summary>Reads the <see cref="ApiCaller"/> of a request and what it may see.</summary>
internal static class ApiCallers
{
    private static readonly object Key = new();

    public static void Set(HttpContext http, ApiCaller caller) => http.Items[Key] = caller;

    /// <summary>The request's caller; <see cref="ApiCaller.Anonymous"/> if none was decided (the most restricted answer).</summary>
    public static ApiCaller Of(HttpContext http) => http.Items.TryGetValue(Key, out var caller) && caller is ApiCaller known ? known : ApiCaller.Anonymous;

    /// <summary>
    /// Task stack traces show a node's code and paths: they are for callers who proved who they are, or a developer's
    /// open loopback API, never for anyone an operator let in anonymously.
    /// </summary>
    public static bool MaySeeStackTraces(HttpContext http) => Of(http) is not ApiCaller.Anonymous;
}
