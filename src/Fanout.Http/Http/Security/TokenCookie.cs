using Fanout.Dashboard;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http.Security;

/// <summary>
/// The browser's way to present a token: the login page stores it, as typed, in the cookie <see cref="Name"/>
/// (HttpOnly, SameSite=Strict, Secure over HTTPS). Writes authenticated by it must also carry <see cref="UiHeader"/>,
/// which the pages' script sets and a cross-site form cannot.
/// </summary>
internal static class TokenCookie
{
    public const string Name = "fanout_token";
    public const string UiHeader = "X-Fanout-UI";

    private static readonly object CameWithKey = new();

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) ? token : null;

    public static void Set(HttpContext http, string token) => http.Response.Cookies.Append(Name, token, Options(http));

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http));

    /// <summary>Marks the request as authenticated by the cookie (not by a bearer header).</summary>
    public static void MarkCameWith(HttpContext http) => http.Items[CameWithKey] = true;

    public static bool CameWith(HttpContext http) => http.Items.ContainsKey(CameWithKey);

    public static bool HasUiHeader(HttpRequest request) => request.Headers[UiHeader] == "1";

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        // Under a proxy's sub-path the browser sends it there only, not to other apps on the proxy's host.
        Path = PublicPath.Of(http) is { Prefix.Length: > 0 } path ? path.Prefix : "/",
        Secure = http.Request.IsHttps,
        IsEssential = true,
    };
}
