using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Fanout.ClusterApp;
using Fanout.Protocol;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Dashboard;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// A run with a group per item and long group names (20,000 groups, 6 MB of names, where a message between nodes holds
/// 4 MiB): its summary still reaches a client on another node, and both workers' run pages and event streams answer,
/// listing a bounded part of the groups with counts that add up all of them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ManyGroupsClusterSpecs(ITestOutputHelper output)
{
    private const int Groups = 20_000;
    private const int NameLength = 300;
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task A_run_with_20000_long_group_names_answers_its_summary_and_pages_across_nodes()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1", "worker-2");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await ClusterChecks.ConnectAsync(cluster);

        var run = await client.RunAsync(GroupTasks.OnePerGroup, (Groups, NameLength));
        Assert.Equal(Groups, await run.WaitAsync(Within, "the run of 20,000 groups to end"));

        // The client is a member of its own: the summary crosses remoting from the worker that hosts the run.
        var summary = await Deadlines.Within(TimeSpan.FromSeconds(60), "the client's summary of the run", ct => run.GetSummaryAsync(ct));
        Assert.Equal(Groups + 1, summary.TotalActions);
        Assert.Equal(Groups + 1, summary.Groups.Count + summary.GroupsNotListed); // the items' groups and the root's "no group"
        Assert.InRange(summary.Groups.Count, 100, RunSummary.MaxListedGroups);

        foreach (var worker in cluster.Workers)
        {
            // Whichever worker hosts the run, the other asks it across remoting for the page's summary and folders.
            var page = await GetHtmlAsync(new Uri(worker.HttpApi!, "ui/runs/" + run.Id));
            var document = new HtmlParser().ParseDocument(page);
            Assert.Equal(GroupTreeLimits.MaxChildren, document.QuerySelectorAll("#group-tree > details[data-group]").Length);
            Assert.Equal($"{Groups - GroupTreeLimits.MaxChildren:N0} more groups", document.QuerySelector("#group-tree > p.more-groups")?.TextContent);
            Assert.Equal((Groups + 1).ToString(), document.QuerySelector("#total-actions")?.TextContent);

            var first = await FirstEventAsync(new Uri(worker.HttpApi!, $"ui/runs/{run.Id}/events"));
            Assert.Equal("summary", first.Name);
            using var data = JsonDocument.Parse(first.Data);
            Assert.False(data.RootElement.TryGetProperty("groups", out _), "the event carries the run's group list; it should carry only the page's folders");
            Assert.Equal(GroupTreeLimits.MaxChildren, data.RootElement.GetProperty("folders").GetArrayLength());
            output.WriteLine($"{worker.Name}: page {page.Length:N0} chars, first event {first.Data.Length:N0} chars");
        }
    }

    private static async Task<string> GetHtmlAsync(Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        return body;
    }

    private static Task<ServerEvent> FirstEventAsync(Uri url) =>
        Deadlines.Within(TimeSpan.FromSeconds(60), $"the first event of {url}", async ct =>
        {
            using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            var reader = new EventStreamReader(new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
            return await reader.NextAsync(ct) ?? throw new InvalidOperationException($"{url} ended without an event");
        });
}
