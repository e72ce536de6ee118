using System.Net;
using System.Text.Json;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// The run pages over HTTP, read by the contract's selectors: the runs list, a run with its counts, group tree and
/// actions (filtered, paged, searched), an action, the cluster, the start form, the 404 page and the headers.
/// </summary>
public sealed class DashboardPageSpecs(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private readonly PageClient _pages = fixture.Pages;

    private string RunPath(string runId) => "/ui/runs/" + Uri.EscapeDataString(runId);

    [Fact]
    public async Task The_runs_list_shows_each_run_newest_first_with_its_link_and_status()
    {
        var page = await _pages.GetAsync("/ui/runs");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var ids = page.All("table#runs tr[data-run-id]").Select(r => r.GetAttribute("data-run-id")).ToList();
        Assert.Equal([fixture.MarkupRunId, fixture.BigFleetRunId, fixture.FleetRunId], ids.Take(3));
        var fleet = page.One($"tr[data-run-id='{fixture.FleetRunId}']");
        Assert.Equal(RunPath(fixture.FleetRunId), fleet.QuerySelector("a.run-link")!.GetAttribute("href"));
        Assert.Equal("Succeeded", fleet.QuerySelector("td.run-status")!.TextContent);
        Assert.Equal("Failed", page.One($"tr[data-run-id='{fixture.MarkupRunId}'] td.run-status").TextContent);
        Assert.True(page.Has("form#runs-filter select#status-filter"));
        Assert.True(page.Has("form#runs-filter #task-filter"));

        var failed = await _pages.GetAsync("/ui/runs?status=failed");
        Assert.All(failed.All("table#runs td.run-status"), cell => Assert.Equal("Failed", cell.TextContent));
        Assert.Contains(failed.All("table#runs tr[data-run-id]"), r => r.GetAttribute("data-run-id") == fixture.MarkupRunId);

        var first = await _pages.GetAsync("/ui/runs?limit=1");
        var next = first.One("a#next-page").GetAttribute("href")!;
        var second = await _pages.GetAsync(next);
        Assert.Equal(fixture.BigFleetRunId, second.One("table#runs tr[data-run-id]").GetAttribute("data-run-id"));
    }

    [Fact]
    public async Task The_run_page_shows_the_header_counts_progress_group_tree_and_actions()
    {
        var page = await _pages.GetAsync(RunPath(fixture.FleetRunId));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(fixture.FleetRunId, page.Text("#run-id"));
        Assert.Equal("dashboard.fleet", page.Text("#run-task"));
        Assert.Equal("Succeeded", page.Text("#run-status"));
        Assert.NotEqual("-", page.Text("#run-finished"));
        Assert.Equal("17", page.Text("#total-actions"));
        // 16 items, of which 3, 7 in each region fail; the root and 12 items succeed.
        Assert.Equal("13", page.Text("[data-count='succeeded']"));
        Assert.Equal("4", page.Text("[data-count='failed']"));
        foreach (var zero in new[] { "queued", "running", "retrying", "cancelled" }) Assert.Equal("0", page.Text($"[data-count='{zero}']"));
        Assert.Equal("17", page.One("#run-progress").GetAttribute("value"));
        Assert.Equal("ended", page.One("#live").GetAttribute("data-state"));
        Assert.False(page.Has("#cancel-run"), "a finished run has no cancel button");

        var regionA = page.One("#group-tree > details[data-group='region-a']");
        var zone = regionA.QuerySelector("details[data-group='region-a/zone-1']")!;
        Assert.NotNull(zone);
        Assert.Equal("8", regionA.QuerySelector("summary [data-group-total]")!.TextContent);
        Assert.Equal("2", regionA.QuerySelector("summary [data-group-count='failed']")!.TextContent);
        Assert.Equal("6", zone.QuerySelector("summary [data-group-count='succeeded']")!.TextContent);
        Assert.Equal("8", page.One("details[data-group='region-b'] > summary [data-group-total]").TextContent);
        Assert.Contains("group=region-a%2Fzone-1", zone.QuerySelector("summary a.filter-group")!.GetAttribute("href"));

        var rows = page.All("table#actions tr[data-action-id]");
        Assert.Equal(17, rows.Count);
        Assert.Equal(fixture.FleetRunId, rows[0].GetAttribute("data-action-id"));
        var item = rows[1];
        Assert.Equal("dashboard.item", item.QuerySelector("td.action-task")!.TextContent);
        Assert.Equal("region-a/zone-1", item.QuerySelector("td.action-group")!.TextContent);
        Assert.Equal("1", item.QuerySelector("td.action-attempts")!.TextContent);
        Assert.Equal("Succeeded", item.QuerySelector("td.action-status")!.TextContent);
        Assert.Equal("17", page.Text("#actions-total"));
        Assert.Equal("page 1 of 1", page.Text("#actions-page"));
        Assert.False(page.Has("a#next-actions"));
        foreach (var selector in new[] { "form#actions-filter select#action-status", "form#actions-filter input#action-group",
                     "form#actions-filter #action-task", "form#action-search input#action-id" })
            Assert.True(page.Has(selector), selector);
    }

    [Fact]
    public async Task Actions_are_filtered_by_status_and_group_and_paged_a_hundred_at_a_time()
    {
        var failed = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?status=failed");
        Assert.Equal(4, failed.All("table#actions tr[data-action-id]").Count);
        Assert.All(failed.All("td.action-status"), cell => Assert.Equal("Failed", cell.TextContent));
        Assert.Equal("failed", failed.One("select#action-status option[selected]").GetAttribute("value"));

        var regionA = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?group=region-a");
        Assert.Equal("8", regionA.Text("#actions-total"));
        var failedInB = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?status=failed&group=region-b");
        Assert.Equal(2, failedInB.All("table#actions tr[data-action-id]").Count);
        var roots = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?task=dashboard.fleet");
        Assert.Equal(fixture.FleetRunId, Assert.Single(roots.All("table#actions tr[data-action-id]")).GetAttribute("data-action-id"));
        Assert.Equal("dashboard.fleet", roots.One("input#action-task").GetAttribute("value"));
        Assert.Equal("16", (await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?task=dashboard.item")).Text("#actions-total"));

        var first = await _pages.GetAsync(RunPath(fixture.BigFleetRunId));
        Assert.Equal(100, first.All("table#actions tr[data-action-id]").Count);
        Assert.Equal("page 1 of 2", first.Text("#actions-page"));
        var second = await _pages.GetAsync(first.One("a#next-actions").GetAttribute("href")!);
        Assert.Equal(21, second.All("table#actions tr[data-action-id]").Count);
        Assert.Equal("page 2 of 2", second.Text("#actions-page"));
        Assert.True(second.Has("a#prev-actions"));
        Assert.False(second.Has("a#next-actions"));

        var fragment = await _pages.GetAsync(RunPath(fixture.BigFleetRunId) + "/actions?status=failed&page=1");
        Assert.Equal(HttpStatusCode.OK, fragment.Status);
        Assert.Equal("30", fragment.Text("#actions-total"));
        Assert.DoesNotContain("<main", fragment.Body);

        var bad = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("status 'sleeping' is not one of", bad.Text("#bad-request"));
    }

    [Fact]
    public async Task Searching_an_action_id_opens_its_page_and_an_unknown_id_says_so()
    {
        var listed = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?status=failed");
        var id = listed.One("table#actions tr[data-action-id]").GetAttribute("data-action-id")!;
        Assert.Contains('#', id);
        var found = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?find=" + Uri.EscapeDataString(id));
        Assert.Equal(HttpStatusCode.Redirect, found.Status);
        var action = await _pages.GetAsync(found.Location!);
        Assert.Equal(id, action.Text("#action-id"));

        var missing = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?find=no-such-action");
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Contains("no-such-action", missing.Text("#search-error"));
    }

    [Fact]
    public async Task The_action_page_shows_attempts_the_error_with_its_stack_trace_and_the_previews()
    {
        var run = await _pages.GetAsync(RunPath(fixture.FleetRunId) + "?status=failed");
        var link = run.One("table#actions tr[data-action-id] a.action-link");
        var page = await _pages.GetAsync(link.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(link.TextContent, page.Text("#action-id"));
        Assert.Equal("Failed", page.Text("#action-status"));
        Assert.Equal("dashboard.item", page.Text("#action-task"));
        Assert.Equal("region-a/zone-1", page.Text("#action-group"));
        Assert.Equal("System.InvalidOperationException", page.Text("#error-type"));
        Assert.Equal("item 3 is broken", page.Text("#error-message"));
        Assert.Contains("DashboardTasks", page.Text("pre#stack-trace"));
        Assert.Equal("3", page.Text("pre#input-preview"));
        Assert.Equal("Failed", page.One("table#attempts tr[data-attempt='1'] td.attempt-outcome").TextContent);
        var parent = page.One("a#parent-link").GetAttribute("href")!;
        var root = await _pages.GetAsync(parent);
        Assert.Equal(fixture.FleetRunId, root.Text("#action-id"));
        Assert.Equal("12", root.Text("pre#result-preview")); // the fleet's result: how many of its 16 items succeeded
    }

    [Fact]
    public async Task Markup_in_inputs_and_errors_comes_out_as_text()
    {
        var page = await _pages.GetAsync(RunPath(fixture.MarkupRunId));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain("<script>alert", page.Body);
        Assert.DoesNotContain("<img src=x", page.Body);
        Assert.Contains(DashboardTasks.Hostile, page.Text("#error"));
        Assert.Empty(page.All("img"));
        Assert.Single(page.All("script")); // the embedded asset alone
        Assert.Equal(["src", "defer"], page.One("script").Attributes.Select(a => a.Name));

        var echo = page.All("table#actions tr[data-action-id]").Single(r => r.QuerySelector("td.action-task")!.TextContent == "dashboard.echo");
        var action = await _pages.GetAsync(echo.QuerySelector("a.action-link")!.GetAttribute("href")!);
        Assert.DoesNotContain("<script>alert", action.Body);
        Assert.Equal("echo refused " + DashboardTasks.Hostile, action.Text("#error-message"));
        Assert.Equal(DashboardTasks.Hostile, JsonSerializer.Deserialize<string>(action.Text("pre#input-preview")));
    }

    [Fact]
    public async Task The_run_url_is_the_run_page_for_a_browser_and_json_for_everyone_else()
    {
        var url = "/runs/" + fixture.FleetRunId;
        var browser = await _pages.GetAsync(url);
        Assert.Equal("text/html", browser.ContentType);
        Assert.Equal(fixture.FleetRunId, browser.Text("#run-id"));

        foreach (var accept in new[] { "", "*/*", "application/json", "application/json, text/html", "text/html;q=0.5, application/json" })
        {
            var api = await _pages.GetAsync(url, accept);
            Assert.True(api.ContentType == "application/json", $"Accept '{accept}' got {api.ContentType}");
            using var json = JsonDocument.Parse(api.Body);
            Assert.Equal("succeeded", json.RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Unknown_runs_actions_and_pages_get_the_404_page()
    {
        foreach (var (path, message) in new[]
                 {
                     ("/ui/runs/no-such-run", "No run has the id 'no-such-run'."),
                     ("/runs/no-such-run", "No run has the id 'no-such-run'."),
                     ("/ui/runs/no-such-run/action?id=x", "No run has the id 'no-such-run'."),
                     ($"/ui/runs/{fixture.FleetRunId}/action?id=nope", $"Run '{fixture.FleetRunId}' has no action with the id 'nope'."),
                     ("/ui/nothing/here", "There is no page at /ui/nothing/here."),
                 })
        {
            var page = await _pages.GetAsync(path);
            Assert.True(page.Status == HttpStatusCode.NotFound, $"{path} answered {(int)page.Status}");
            Assert.Equal(message, page.Text("#not-found"));
        }
    }

    [Fact]
    public async Task Html_answers_carry_a_strict_content_security_policy_nosniff_and_a_same_origin_referrer()
    {
        foreach (var path in new[] { "/ui/runs", RunPath(fixture.FleetRunId), "/ui/cluster", "/ui/start", "/ui/nowhere", "/runs/" + fixture.FleetRunId })
        {
            var page = await _pages.GetAsync(path);
            Assert.Equal("text/html", page.ContentType);
            var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
            Assert.Empty(page.All("style"));
            Assert.Empty(page.All("[style]"));
            Assert.Empty(page.All("script:not([src])"));
        }
    }

    [Fact]
    public async Task The_cluster_page_shows_the_members_the_leader_and_the_executors()
    {
        var page = await _pages.GetAsync("/ui/cluster");
        var member = page.One("table#members tr[data-member]");
        Assert.Equal("Up", member.QuerySelector("td.member-status")!.TextContent);
        Assert.Equal("yes", member.QuerySelector("td.member-reachable")!.TextContent);
        Assert.Equal(member.GetAttribute("data-member"), page.Text("#leader"));
        var executor = page.One("table#executors tr[data-executor]");
        Assert.Matches("^[0-9]+$", executor.QuerySelector("td.executor-slots")!.TextContent);
    }

    [Fact]
    public async Task The_start_page_offers_the_node_s_tasks_and_the_nav_links_every_page()
    {
        var page = await _pages.GetAsync("/ui/start");
        Assert.Contains(page.All("form#start-run select#task option"), o => o.GetAttribute("value") == "dashboard.fleet");
        Assert.True(page.Has("form#start-run textarea#input"));
        Assert.True(page.Has("form#start-run input#run-id"));
        Assert.True(page.Has("form#start-run button#start"));
        Assert.True(page.Has("#start-error"));
        foreach (var nav in new[] { "a#nav-runs", "a#nav-cluster", "a#nav-start", "main" }) Assert.True(page.Has(nav), nav);
        Assert.False(page.Has("#read-only-banner"));
    }

    [Fact]
    public async Task The_root_leads_to_the_runs_and_the_assets_are_served_with_a_long_cache()
    {
        var root = await _pages.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.Status);
        Assert.Equal("/ui/runs", root.Location);

        var page = await _pages.GetAsync("/ui/runs");
        foreach (var href in new[] { page.One("link[rel=stylesheet]").GetAttribute("href")!, page.One("script[src]").GetAttribute("src")! })
        {
            var asset = await _pages.GetAsync(href, "*/*");
            Assert.Equal(HttpStatusCode.OK, asset.Status);
            Assert.Contains("immutable", asset.Headers.CacheControl!.ToString());
            Assert.True(asset.Body.Length > 500, href);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _pages.GetAsync("/ui/assets/nothing.js")).Status);
    }

    [Fact]
    public async Task A_write_a_browser_says_another_site_sent_is_refused_even_on_the_open_loopback_node()
    {
        foreach (var (site, expected) in new[]
                 {
                     ("cross-site", HttpStatusCode.Forbidden), ("same-site", HttpStatusCode.Forbidden),
                     ("same-origin", HttpStatusCode.OK), ("none", HttpStatusCode.OK),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _pages.Url($"/runs/{fixture.FleetRunId}/cancel"));
            request.Headers.Add("Sec-Fetch-Site", site);
            var answer = await _pages.SendAsync(request);
            Assert.True(answer.Status == expected, $"Sec-Fetch-Site: {site} answered {(int)answer.Status}: {answer.Body}");
        }
        Assert.Equal("Succeeded", (await _pages.GetAsync(RunPath(fixture.FleetRunId))).Text("#run-status"));
    }
}
