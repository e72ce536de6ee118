using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Fanout.Dashboard;

/// <summary>
/// Tells a browser's navigation from an API call by its <c>Accept</c> header: a browser names <c>text/html</c> and
/// ranks it above JSON. No header, <c>*/*</c> alone, or JSON ranked as high as HTML keeps today's JSON answer, so API
/// clients and the CLI are never sent a page.
/// </summary>
internal static class BrowserRequest
{
    public static bool PrefersHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.OfType<string>().ToList(), out var accepted)) return false;
        double html = 0, json = 0;
        foreach (var type in accepted)
        {
            var quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
                html = Math.Max(html, quality);
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                json = Math.Max(json, quality);
        }
        return html > 0 && html > json;
    }

    /// <summary>
    /// <paramref name="candidate"/> when it is a path on this site under the public URL's path (<c>/ui/runs?x=1</c>, or
    /// <c>/fanout/ui/runs?x=1</c> behind a proxy's sub-path), else the runs page: a login's return address must never
    /// send the browser elsewhere (<c>//evil.example</c>, <c>/\evil</c>, <c>https://...</c>, another app's path on the
    /// proxy's host).
    /// </summary>
    public static string LocalPath(string? candidate, PublicPath path)
    {
        var fallback = path.To("/ui/runs");
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 2048 || !path.Holds(candidate)) return fallback;
        if (candidate.Any(c => char.IsControl(c) || c == '\\')) return fallback;
        return Uri.TryCreate(candidate, UriKind.Relative, out _) ? candidate : fallback;
    }
}
