namespace Fanout.Dashboard.Pages;

/// <summary>The frame of every page: head with the embedded assets, the navigation, the read-only banner and <c>&lt;main&gt;</c>.</summary>
internal static class Layout
{
    public static string Render(PageContext context, string title, Action<Html> main, string? runId = null)
    {
        var html = new Html(context.Path).Doctype();
        html.Open("html", "lang", "en");
        html.Open("head")
            .Void("meta", "charset", "utf-8")
            .Void("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
            .Void("meta", "name", "color-scheme", "content", "light dark")
            .Element("title", $"{title} - Fanout")
            .Void("link", "rel", "stylesheet", "href", DashboardAssets.Url("dashboard.css"))
            .Open("script", "src", DashboardAssets.Url("dashboard.js"), "defer", "").Close("script")
            .Close("head");
        // The script's requests start with data-base, the public URL's path (absent without one): no inline script may say it.
        html.Open("body", "data-run-id", runId, "data-base", context.Path.Prefix.Length == 0 ? null : context.Path.Prefix);
        html.Open("header", "class", "top").Open("nav", "aria-label", "Fanout");
        html.Element("span", "Fanout", "class", "brand");
        html.Element("a", "Runs", "id", "nav-runs", "href", "/ui/runs");
        html.Element("a", "Cluster", "id", "nav-cluster", "href", "/ui/cluster");
        // Neither a read-only viewer nor a viewer token can start a run: no link to a form that would be refused.
        if (context.MayAct) html.Element("a", "Start a run", "id", "nav-start", "href", "/ui/start");
        if (context.SignedIn)
            html.Open("form", "class", "logout", "method", "post", "action", "/ui/logout")
                .Element("button", "Sign out", "id", "logout", "type", "submit").Close("form");
        html.Close("nav").Close("header");
        if (context.ReadOnly)
            html.Element("p", "Read-only: these pages are served from a journal, with no runtime running. Runs cannot be started or cancelled here.",
                "id", "read-only-banner", "class", "banner", "role", "status");
        html.Open("main");
        main(html);
        html.Close("main").Close("body").Close("html");
        return html.ToString();
    }
}
