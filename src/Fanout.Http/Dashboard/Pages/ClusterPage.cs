using Fanout.Clustering;
using Fanout.Operations;

namespace Fanout.Dashboard.Pages;

/// <summary>The cluster as this node sees it (<c>table#members</c>, <c>#leader</c>) and every executor's load (<c>table#executors</c>).</summary>
internal static class ClusterPage
{
    public static string Render(PageContext context, ClusterView? cluster, ExecutorsView? executors) => Layout.Render(context, "Cluster", html =>
    {
        html.Element("h1", "Cluster");
        if (cluster is null)
        {
            html.Element("p", "There is no cluster here: this viewer reads a journal with no runtime running.", "id", "no-cluster", "class", "note");
            return;
        }
        html.Open("p").Text("This node: ").Element("code", cluster.Self, "id", "self").Text(" - leader: ")
            .Element("code", cluster.Leader ?? "none", "id", "leader").Close("p");
        html.Element("h2", "Members");
        html.Open("table", "id", "members").Open("thead").Open("tr");
        foreach (var heading in new[] { "Address", "Status", "Reachable", "Roles", "App version" }) html.Element("th", heading, "scope", "col");
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var member in cluster.Members)
        {
            html.Open("tr", "data-member", member.Address);
            html.Element("td", member.Address, "class", "member-address");
            html.Element("td", member.Status, "class", "member-status");
            html.Element("td", member.Reachable ? "yes" : "no", "class", "member-reachable" + (member.Reachable ? "" : " bad"));
            html.Element("td", string.Join(", ", member.Roles), "class", "member-roles");
            html.Element("td", member.AppVersion, "class", "member-version");
            html.Close("tr");
        }
        html.Close("tbody").Close("table");

        html.Element("h2", "Executors");
        html.Open("table", "id", "executors").Open("thead").Open("tr");
        foreach (var heading in new[] { "Node", "Roles", "Slots", "Busy", "Waiting", "Draining", "Runs", "Note" }) html.Element("th", heading, "scope", "col");
        html.Close("tr").Close("thead").Open("tbody");
        foreach (var executor in executors?.Executors ?? [])
        {
            html.Open("tr", "data-executor", executor.Node);
            html.Element("td", executor.Node, "class", "executor-node");
            html.Element("td", string.Join(", ", executor.Roles), "class", "executor-roles");
            html.Element("td", executor.Slots?.ToString() ?? "-", "class", "executor-slots num");
            html.Element("td", executor.Busy?.ToString() ?? "-", "class", "executor-busy num");
            html.Element("td", executor.Waiting?.ToString() ?? "-", "class", "executor-waiting num");
            html.Element("td", executor.Draining is { } draining ? (draining ? "yes" : "no") : "-", "class", "executor-draining");
            html.Element("td", executor.Runs?.Count.ToString() ?? "-", "class", "executor-runs num");
            html.Element("td", executor.Error ?? (executor.Reachable ? "" : "unreachable"), "class", "executor-note");
            html.Close("tr");
        }
        html.Close("tbody").Close("table");
    });
}
