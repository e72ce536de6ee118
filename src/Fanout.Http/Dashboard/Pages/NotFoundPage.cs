using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard.Pages;

/// <summary>The 404 page (<c>#not-found</c>), and its sibling for a request a page cannot read (400, <c>#bad-request</c>).</summary>
internal static class NotFoundPage
{
    public static IResult Result(HttpContext http, string message) =>
        HtmlResponse.Page(Render(PageContext.For(http), "Not found", "not-found", message), StatusCodes.Status404NotFound);

    public static IResult BadRequest(HttpContext http, string message) =>
        HtmlResponse.Page(Render(PageContext.For(http), "Bad request", "bad-request", message), StatusCodes.Status400BadRequest);

    public static string NoRun(string runId, bool purged) => purged ? $"Run '{runId}' was purged." : $"No run has the id '{runId}'.";

    private static string Render(PageContext context, string title, string id, string message) => Layout.Render(context, title, html =>
    {
        html.Element("h1", title);
        html.Element("p", message, "id", id, "class", "message");
        html.Open("p").Element("a", "All runs", "href", "/ui/runs").Close("p");
    });
}
