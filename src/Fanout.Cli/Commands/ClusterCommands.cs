using System.CommandLine;
using System.Text.Json;
using Fanout.Cli.Model;
using Fanout.Cli.Output;

namespace Fanout.Cli.Commands;

/// <summary>
/// <c>fanout cluster show|status|leader|leave|down|down-unreachable|join|tail</c>, with pbm's output shapes
/// (<c>address | [roles] | status | reachability | version</c>, then <c>Count: N nodes</c>).
/// </summary>
internal static class ClusterCommands
{
    public static Command Build(GlobalOptions options)
    {
        var cluster = new Command("cluster", "The cluster's members as the node sees them, and membership changes");
        cluster.Subcommands.Add(Show(options));
        cluster.Subcommands.Add(Status(options));
        cluster.Subcommands.Add(Leader(options));
        cluster.Subcommands.Add(Change(options, "leave", "Ask a member to leave gracefully: it hands its work back, then exits"));
        cluster.Subcommands.Add(Change(options, "down", "Down a member now (one that is dead or stuck): its work moves without waiting for the failure detector"));
        cluster.Subcommands.Add(DownUnreachable(options));
        cluster.Subcommands.Add(Change(options, "join", "Make the node join the cluster at this address (a seed or any member)"));
        cluster.Subcommands.Add(Tail(options));
        return cluster;
    }

    /// <summary>pbm's member line.</summary>
    internal static string MemberLine(MemberDto member) =>
        $"{member.Address} | [{string.Join(',', member.Roles ?? [])}] | {member.Status.ToLowerInvariant()} | {(member.Reachable ? "reachable" : "unreachable")} | {member.AppVersion ?? "unknown"}";

    private static Command Show(GlobalOptions options)
    {
        var show = new Command("show", "One line per member: address | [roles] | status | reachability | version");
        options.OnGet<ClusterDto>(show, _ => "cluster", (_, view) =>
        {
            foreach (var member in view.Members) options.Context.Output.WriteLine(MemberLine(member));
            options.Context.Output.WriteLine($"Count: {view.Members.Count} nodes");
            return CliExitCodes.Ok;
        });
        return show;
    }

    private static Command Status(GlobalOptions options)
    {
        var status = new Command("status", "The node's own membership, the leader and how many members are up and reachable");
        options.OnGet<ClusterDto>(status, _ => "cluster", (_, view) =>
        {
            var self = view.Members.FirstOrDefault(m => m.Address == view.Self);
            var up = view.Members.Count(m => m.Status.Equals("up", StringComparison.OrdinalIgnoreCase));
            var output = options.Context.Output;
            output.WriteLine($"Node: {view.Self}");
            output.WriteLine($"Roles: [{string.Join(',', view.SelfRoles ?? [])}]");
            output.WriteLine($"Status: {self?.Status.ToLowerInvariant() ?? "not a member"}");
            output.WriteLine($"Leader: {view.Leader ?? "none"}");
            output.WriteLine($"Members: {view.Members.Count} ({up} up, {view.Members.Count(m => !m.Reachable)} unreachable)");
            output.WriteLine($"Executors: {view.Executors?.Count ?? 0}");
            return CliExitCodes.Ok;
        });
        return status;
    }

    private static Command Leader(GlobalOptions options)
    {
        var leader = new Command("leader", "The cluster leader's address, as the node sees it");
        options.OnGet<ClusterDto>(leader, _ => "cluster", (_, view) =>
        {
            if (view.Leader is null)
            {
                options.Context.Fail($"the node at {view.Self} sees no leader (is it a member yet?)");
                return CliExitCodes.Failed;
            }
            options.Context.Output.WriteLine(view.Leader);
            return CliExitCodes.Ok;
        });
        return leader;
    }

    private static Command Change(GlobalOptions options, string action, string description)
    {
        var address = new Argument<string>("address") { Description = "The member's address, e.g. akka.tcp://fanout@127.0.0.1:4055" };
        var change = new Command(action, description) { address };
        options.OnPost<MembershipChangeDto>(change, _ => $"cluster/{action}", parsed => new { address = parsed.GetValue(address) }, (_, accepted) =>
        {
            options.Context.Output.WriteLine($"{accepted.Action} requested for {accepted.Address}");
            return CliExitCodes.Ok;
        });
        return change;
    }

    private static Command DownUnreachable(GlobalOptions options)
    {
        var down = new Command("down-unreachable", "Down every member the node sees as unreachable");
        options.OnPost<DownedDto>(down, _ => "cluster/down-unreachable", _ => null, (_, downed) =>
        {
            options.Context.Output.WriteLine($"downed {downed.Downed.Count} unreachable member(s)");
            foreach (var address in downed.Downed) options.Context.Output.WriteLine($"  {address}");
            return CliExitCodes.Ok;
        });
        return down;
    }

    private static Command Tail(GlobalOptions options)
    {
        var tail = new Command("tail", "Print the current members, then every membership and reachability event as it happens (Ctrl-C stops)");
        tail.SetAction((parsed, ct) => options.RunAsync(parsed, async (node, json) =>
        {
            await node.StreamLinesAsync("cluster/events", line =>
            {
                options.Context.Output.WriteLine(json ? line : EventLine(line));
                return options.Context.Output.FlushAsync(ct);
            }, ct);
            return CliExitCodes.Ok;
        }));
        return tail;
    }

    /// <summary>"2026-11-29T23:00:00Z MemberUp akka.tcp://fanout@127.0.0.1:4055 [fanout-core,worker]".</summary>
    internal static string EventLine(string json)
    {
        ClusterEventDto? e;
        try
        {
            e = JsonSerializer.Deserialize<ClusterEventDto>(json, CliJson.Compact);
        }
        catch (JsonException)
        {
            return json;
        }
        if (e is null) return json;
        var line = $"{Format.Time(e.At)} {e.Event} {e.Address ?? "-"}";
        if (e.Status is not null) line += $" {e.Status.ToLowerInvariant()}";
        if (e.Reachable is { } reachable) line += reachable ? " reachable" : " unreachable";
        if (e.Roles is not null) line += $" [{string.Join(',', e.Roles)}]";
        return line;
    }
}
