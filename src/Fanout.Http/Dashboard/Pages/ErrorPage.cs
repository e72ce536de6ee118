using Microsoft.AspNetCore.Http;

namespace Fanout.Dashboard.Pages;

/// <summary>
/// What a browser is shown when a page failed inside the node (<c>#error-page</c>): the error catch-all's answer in the
/// layout, worded for a person, with nothing of the node's insides (the log has them, under the reference it names).
/// </summary>
internal static class ErrorPage
{
    public static IResult Result(HttpContext http, int status, string message)
    {
        var title = status == StatusCodes.Status503ServiceUnavailable ? "Unavailable for now" : "Something went wrong";
        return HtmlResponse.Page(Layout.Render(PageContext.For(http), title, html =>
        {
            html.Element("h1", title);
            html.Element("p", message, "id", "error-page", "class", "message", "role", "alert");
            html.Open("p").Element("a", "All runs", "href", "/ui/runs").Close("p");
        }), status);
    }
}
