using Fanout.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>
/// Tokens on every endpoint but the health probes and the login page's own (the page and its assets), when any token
/// is configured. A token comes as <c>Authorization: Bearer</c>, or from a browser in the <see cref="TokenCookie"/> the
/// login page sets. Without one, or with a wrong one: 401 (with <c>WWW-Authenticate: Bearer</c>), except that a
/// browser navigating to a page is sent 303 to the login page. The viewer token gets 403 on anything but a read; a
/// write authenticated by the cookie needs the <see cref="TokenCookie.UiHeader"/> header too (else 403), so another
/// site cannot post a form with the user's cookie; a write a browser says another site sent is refused before all
/// that, tokens or not. A presented token is never logged or echoed. Without tokens every
/// request passes, as <see cref="ApiCaller.OpenLoopback"/> or, when the API was opened beyond loopback on purpose,
/// <see cref="ApiCaller.Anonymous"/>.
/// </summary>
internal sealed class ApiAuthentication
{
    private const string Scheme = "Bearer";
    private readonly TokenDigest? _operator;
    private readonly TokenDigest? _viewer;
    private readonly ApiCaller _withoutTokens;

    public ApiAuthentication(FanoutRuntimeOptions options)
    {
        _operator = TokenDigest.Of(options.ApiToken);
        _viewer = TokenDigest.Of(options.ApiViewerToken);
        _withoutTokens = ApiSecuritySettings.IsLoopback(options.HttpHost) ? ApiCaller.OpenLoopback : ApiCaller.Anonymous;
    }

    /// <summary>Whether any token is configured, so that a caller must present one.</summary>
    public bool Required => _operator is not null || _viewer is not null;

    public void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        if (IsCrossSiteWrite(http.Request))
        {
            await DenyAsync(http, StatusCodes.Status403Forbidden, "a write sent by another site's page is refused").ConfigureAwait(false);
            return;
        }
        if (!Required || HealthApi.IsProbe(http.Request.Path))
        {
            ApiCallers.Set(http, _withoutTokens);
            await next(http).ConfigureAwait(false);
            return;
        }
        if (IsOpenPage(http.Request.Path))
        {
            ApiCallers.Set(http, ApiCaller.Anonymous);
            await next(http).ConfigureAwait(false);
            return;
        }
        var (caller, byCookie) = Identify(http.Request);
        var isRead = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        switch (caller)
        {
            case null when isRead && BrowserRequest.PrefersHtml(http.Request):
                await new SeeOther(LoginPath(http.Request)).ExecuteAsync(http).ConfigureAwait(false);
                return;
            case null:
                await DenyAsync(http, StatusCodes.Status401Unauthorized,
                    "this node's API needs a token: send 'Authorization: Bearer <token>' (the fanout CLI: --token or FANOUT_TOKEN)").ConfigureAwait(false);
                return;
            case not null when byCookie && !isRead && !TokenCookie.HasUiHeader(http.Request):
                await DenyAsync(http, StatusCodes.Status403Forbidden,
                    $"a write signed in by the login cookie must carry the header '{TokenCookie.UiHeader}: 1' (the run pages send it)").ConfigureAwait(false);
                return;
            case ApiCaller.Viewer when !isRead:
                await DenyAsync(http, StatusCodes.Status403Forbidden, "the viewer token may only read; this needs the operator token").ConfigureAwait(false);
                return;
            default:
                ApiCallers.Set(http, caller.Value);
                if (byCookie) TokenCookie.MarkCameWith(http);
                await next(http).ConfigureAwait(false);
                return;
        }
    });

    /// <summary>The caller <paramref name="token"/> proves, or null for a wrong one (as the login page checks a typed token).</summary>
    public ApiCaller? IdentifyToken(string token)
    {
        var presented = TokenDigest.Hash(token);
        // Both are compared every time, so the time taken does not say which token a guess came close to.
        var isOperator = _operator?.Matches(presented) ?? false;
        var isViewer = _viewer?.Matches(presented) ?? false;
        return isOperator ? ApiCaller.Operator : isViewer ? ApiCaller.Viewer : null;
    }

    /// <summary>
    /// The caller a valid token proves, or null for none or a wrong one (which are not told apart to the caller). A
    /// bearer header, when sent, decides alone; otherwise the login cookie does.
    /// </summary>
    private (ApiCaller? Caller, bool ByCookie) Identify(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (header.Length <= Scheme.Length + 1 || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length] != ' ')
                return (null, false);
            return (IdentifyToken(header[(Scheme.Length + 1)..].Trim()), false);
        }
        return TokenCookie.Read(request) is { } cookie ? (IdentifyToken(cookie), true) : (null, false);
    }

    /// <summary>
    /// A browser marks every request with where the page that sent it came from (<c>Sec-Fetch-Site</c>); a write from
    /// another site (or another port of this host: "same-site") is refused whatever it carries, so a page elsewhere
    /// cannot cancel or start runs on a developer's open loopback node. API clients send no such header.
    /// </summary>
    private static bool IsCrossSiteWrite(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
        && request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";

    /// <summary>The login page and what it loads: a browser without a token must reach them.</summary>
    private static bool IsOpenPage(PathString path) =>
        path.Equals("/ui/login", StringComparison.Ordinal) || path.Equals("/ui/logout", StringComparison.Ordinal)
        || path.StartsWithSegments("/ui/assets", StringComparison.Ordinal);

    /// <summary>
    /// The login page, to come back to the page asked for as the browser named it: under the public URL's path whether
    /// a proxy forwarded that path (taken off into PathBase) or stripped it.
    /// </summary>
    private static string LoginPath(HttpRequest request)
    {
        var path = PublicPath.Of(request.HttpContext);
        return path.To("/ui/login") + "?return="
            + Uri.EscapeDataString(BrowserRequest.LocalPath(path.Prefix + request.Path + request.QueryString, path));
    }

    private static Task DenyAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = Scheme;
        return http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted);
    }
}
