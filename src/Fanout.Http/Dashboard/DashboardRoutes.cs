using Fanout.Dashboard.Pages;
using Fanout.Http;
using Fanout.Http.Security;
using Fanout.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Fanout.Dashboard;

/// <summary>
/// Every route of the run pages, under <c>/ui</c> (README: "The run page"; a browser behind a proxy's sub-path asks for
/// them under <see cref="PublicPath"/>, which their links and redirects carry). They read through the host's
/// <see cref="IRunViews"/> only; with read-only views there is no start page and no cancel button.
/// </summary>
internal static class DashboardRoutes
{
    public static void Map(WebApplication app, IRunViews views, ApiAuthentication authentication)
    {
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var json = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var summaries = new SummaryCache(views);

        app.MapGet("/", (HttpContext http) => Results.Redirect(PublicPath.Of(http).To("/ui/runs")));
        app.MapGet("/ui", (HttpContext http) => Results.Redirect(PublicPath.Of(http).To("/ui/runs")));

        app.MapGet("/ui/runs", async (HttpContext http, CancellationToken ct) =>
        {
            if (!RunListQueryParser.TryParse(http.Request.Query, out var query, out var problem)) return NotFoundPage.BadRequest(http, problem!);
            return HtmlResponse.Page(RunsListPage.Render(PageContext.For(http), query!, await views.ListRunsAsync(query!, ct)));
        });
        app.MapGet("/ui/runs/{runId}", (string runId, HttpContext http, CancellationToken ct) => RunPages.RunAsync(http, views, runId, ct));
        app.MapGet("/ui/runs/{runId}/actions", (string runId, HttpContext http, CancellationToken ct) => RunPages.ActionsAsync(http, views, runId, ct));
        app.MapGet("/ui/runs/{runId}/action", (string runId, HttpContext http, CancellationToken ct) => RunPages.ActionAsync(http, views, runId, ct));
        app.MapGet("/ui/runs/{runId}/events", async (string runId, HttpContext http, CancellationToken ct) =>
        {
            if (await RunPages.MissingAsync(http, views, runId, ct) is { } missing)
            {
                await missing.ExecuteAsync(http);
                return;
            }
            await RunEvents.StreamAsync(http, runId, summaries, json, stopping);
        });
        app.MapGet("/ui/cluster", async (HttpContext http, CancellationToken ct) =>
        {
            var cluster = views.GetClusterAsync(ct);
            var executors = views.GetExecutorsAsync(ct);
            return HtmlResponse.Page(ClusterPage.Render(PageContext.For(http), await cluster, await executors));
        });
        if (!views.ReadOnly)
            app.MapGet("/ui/start", (HttpContext http) => HtmlResponse.Page(StartPage.Render(PageContext.For(http), views.TaskNames)));
        MapLogin(app, authentication);
        app.MapGet("/ui/assets/{name}", (string name, HttpContext http) => DashboardAssets.Serve(name, http));
        app.MapGet("/ui/{**rest}", (string? rest, HttpContext http) => NotFoundPage.Result(http, $"There is no page at /ui/{rest}."));
    }

    private static void MapLogin(WebApplication app, ApiAuthentication authentication)
    {
        app.MapGet("/ui/login", (HttpContext http) =>
        {
            var back = BrowserRequest.LocalPath(http.Request.Query["return"], PublicPath.Of(http));
            return authentication.Required
                ? HtmlResponse.Page(LoginPage.Render(PageContext.For(http), back, null))
                : Results.Redirect(back);
        });
        app.MapPost("/ui/login", async (HttpContext http, CancellationToken ct) =>
        {
            var back = BrowserRequest.LocalPath(http.Request.Query["return"], PublicPath.Of(http));
            if (!authentication.Required) return Results.Redirect(back);
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var token = form?["token"].FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(token) || authentication.IdentifyToken(token) is null)
                return HtmlResponse.Page(LoginPage.Render(PageContext.For(http), back, "That token is not valid for this node."),
                    StatusCodes.Status401Unauthorized);
            TokenCookie.Set(http, token);
            return new SeeOther(back);
        }).RequireRateLimiting(LoginRateLimit.Policy);
        app.MapPost("/ui/logout", (HttpContext http) =>
        {
            TokenCookie.Clear(http);
            return new SeeOther(PublicPath.Of(http).To("/ui/login"));
        });
    }
}
