using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard;

/// <summary>
/// Sends a page with the headers every HTML answer carries: a strict Content-Security-Policy (no inline script or
/// style anywhere, so injected markup could not run even if encoding missed it), nosniff and a same-origin referrer.
/// </summary>
internal static class HtmlResponse
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }

    public static IResult Page(string html, int status = StatusCodes.Status200OK) => new Result(html, status);

    private sealed class Result(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            AddSecurityHeaders(http.Response);
            http.Response.ContentType = "text/html; charset=utf-8";
            return http.Response.WriteAsync(html, http.RequestAborted);
        }
    }
}
