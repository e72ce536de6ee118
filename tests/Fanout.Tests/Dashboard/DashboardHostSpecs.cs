using System.Net;
using Fanout.Dashboard;
using Fanout.Tests.HttpSecurity;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// <see cref="DashboardHost.StartReadOnlyAsync"/>, the journal viewer's host: the same pages and read routes over
/// read-only views, with no write, cluster or start route, a banner, no write buttons, and the node's token check.
/// (Its views here are <see cref="ReadOnlyViews"/>: the journal's own are helper dashjournal's.)
/// </summary>
public sealed class DashboardHostSpecs
{
    private static FanoutRuntimeOptions Options(string? token = null) => new() { HttpHost = "127.0.0.1", HttpPort = 0, ApiToken = token };

    [Fact]
    public async Task The_read_only_host_serves_the_pages_and_read_routes_with_a_banner_and_no_writes()
    {
        await using var host = await DashboardHost.StartReadOnlyAsync(new ReadOnlyViews(), Options(), CancellationToken.None);
        Assert.DoesNotContain(host.Routes, r => !r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains("/ui/log", StringComparison.Ordinal));
        Assert.DoesNotContain("GET /ui/start", host.Routes);
        Assert.DoesNotContain("GET /cluster", host.Routes);
        Assert.Contains("GET /runs/{runId}", host.Routes);

        using var pages = new PageClient(host.BaseUrl);
        var list = await pages.GetAsync("/ui/runs");
        Assert.True(list.Has("#read-only-banner"));
        Assert.False(list.Has("a#nav-start"));
        Assert.True(list.Has($"table#runs tr[data-run-id='{ReadOnlyViews.RunId}']"));

        var run = await pages.GetAsync("/runs/" + ReadOnlyViews.RunId);
        Assert.Equal("Running", run.Text("#run-status"));
        Assert.False(run.Has("#cancel-run"), "a read-only page offers no cancel");
        Assert.Equal("2", run.Text("details[data-group='g'] > summary [data-group-total]"));
        Assert.Equal(3, run.All("table#actions tr[data-action-id]").Count);
        // Markup in a group path (a journal is data like any other) is text, in the tree and its filter link.
        Assert.DoesNotContain("<img", run.Body);
        Assert.Empty(run.All("img"));
        Assert.Equal(DashboardTasks.HostileGroup + "/b",
            run.One("#group-tree details[data-group] details[data-group]").GetAttribute("data-group"));

        var action = await pages.GetAsync($"/ui/runs/{ReadOnlyViews.RunId}/action?id=" + Uri.EscapeDataString($"{ReadOnlyViews.RunId}/g/env.leaf#1"));
        Assert.Equal("leaf broke", action.Text("#error-message"));

        Assert.True((await pages.GetAsync("/ui/cluster")).Has("#no-cluster"));
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync("/ui/start")).Status);

        using var start = SecuredRuntime.Request(HttpMethod.Post, pages.Url("/runs"), null, "{\"task\": \"env.root\"}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await pages.SendAsync(start)).Status);
        Assert.Equal("application/json", (await pages.GetAsync("/runs/" + ReadOnlyViews.RunId, "")).ContentType);
    }

    [Fact]
    public async Task The_read_only_host_checks_tokens_as_a_node_does()
    {
        await using var host = await DashboardHost.StartReadOnlyAsync(new ReadOnlyViews(), Options(SecuredRuntime.OperatorToken), CancellationToken.None);
        using var pages = new PageClient(host.BaseUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pages.GetAsync("/runs", "")).Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await pages.GetAsync("/ui/runs")).Status);
        Assert.Equal(HttpStatusCode.OK, (await pages.GetAsync("/ui/runs", cookie: "fanout_token=" + SecuredRuntime.OperatorToken)).Status);
    }

    [Fact]
    public async Task The_read_only_host_refuses_views_that_can_write_and_settings_a_node_would_refuse()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            DashboardHost.StartReadOnlyAsync(new ReadOnlyViews(), new FanoutRuntimeOptions { HttpHost = "0.0.0.0", HttpPort = 0 }, CancellationToken.None));
        var short_ = await Assert.ThrowsAsync<ArgumentException>(() =>
            DashboardHost.StartReadOnlyAsync(new ReadOnlyViews(), Options("short"), CancellationToken.None));
        Assert.Contains("ApiToken must be at least", short_.Message);
    }
}
