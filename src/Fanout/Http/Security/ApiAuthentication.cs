using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>
/// Bearer tokens on every endpoint but the health probes, when any token is configured: 401 without a token or with a
/// wrong one (with <c>WWW-Authenticate: Bearer</c>), 403 for the viewer token on anything but a read. A presented token
/// is never logged or echoed. Without tokens every request passes, as <see cref="ApiCaller.OpenLoopback"/> or, when the
/// API was opened beyond loopback on purpose, <see cref="ApiCaller.Anonymous"/>.
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

    private bool Required => _operator is not null || _viewer is not null;

    public void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        if (!Required || HealthApi.IsProbe(http.Request.Path))
        {
            ApiCallers.Set(http, _withoutTokens);
            await next(http).ConfigureAwait(false);
            return;
        }
        switch (Identify(http.Request))
        {
            case null:
                await DenyAsync(http, StatusCodes.Status401Unauthorized,
                    "this node's API needs a token: send 'Authorization: Bearer <token>' (the fanout CLI: --token or FANOUT_TOKEN)").ConfigureAwait(false);
                return;
            case ApiCaller.Viewer when !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method):
                await DenyAsync(http, StatusCodes.Status403Forbidden, "the viewer token may only read; this needs the operator token").ConfigureAwait(false);
                return;
            case { } caller:
                ApiCallers.Set(http, caller);
                await next(http).ConfigureAwait(false);
                return;
        }
    });

    /// <summary>The caller a valid token proves, or null for none or a wrong one (which are not told apart to the caller).</summary>
    private ApiCaller? Identify(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length <= Scheme.Length + 1 || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length] != ' ')
            return null;
        var presented = TokenDigest.Hash(header[(Scheme.Length + 1)..].Trim());
        // Both are compared every time, so the time taken does not say which token a guess came close to.
        var isOperator = _operator?.Matches(presented) ?? false;
        var isViewer = _viewer?.Matches(presented) ?? false;
        return isOperator ? ApiCaller.Operator : isViewer ? ApiCaller.Viewer : null;
    }

    private static Task DenyAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = Scheme;
        return http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted);
    }
}
