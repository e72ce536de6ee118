using System.Globalization;
using System.Text.Json;
using Fanout.Clustering;
using Fanout.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fanout.Http;

/// <summary>
/// The operator's endpoints, on every node (README: "Operating a cluster"): membership commands and events,
/// Cluster Sharding's statistics, this node's actor hierarchy and every executor's load. They are what the
/// <c>fanout</c> tool's <c>cluster</c>, <c>cluster-sharding</c> and <c>actor</c> verbs read, and the same
/// questions <c>pbm</c> answers for an Akka.NET operator.
/// </summary>
internal static class OperatorApi
{
    public static void Map(WebApplication app, ClusterInspector cluster)
    {
        var system = cluster.System;
        MapMembership(app, new MembershipCommands(system));
        app.MapGet("/cluster/events", async (HttpContext http) =>
        {
            http.Response.ContentType = "application/x-ndjson";
            await ClusterEventFeed.StreamAsync(system, http.Response.Body, http.RequestAborted);
        });
        MapSharding(app, new ShardingInspector(system));
        app.MapGet("/actors", (HttpRequest request) =>
        {
            var text = request.Query["depth"].ToString();
            var depth = ActorHierarchy.DefaultDepth;
            if (text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out depth)
                                    || depth is < ActorHierarchy.MinDepth or > ActorHierarchy.MaxDepth))
                return Error(StatusCodes.Status400BadRequest,
                    $"depth '{text}' must be a whole number from {ActorHierarchy.MinDepth} to {ActorHierarchy.MaxDepth}");
            return Results.Ok(ActorHierarchy.Read(system, depth));
        });
        var executors = new ExecutorsInspector(cluster.Directory);
        app.MapGet("/executors", async (CancellationToken ct) => Results.Ok(await executors.GetAsync(ct)));
    }

    private static void MapMembership(WebApplication app, MembershipCommands commands)
    {
        MapAddressCommand(app, commands, "leave", commands.LeaveAsync);
        MapAddressCommand(app, commands, "down", (address, _) => Task.FromResult(commands.Down(address)));
        MapAddressCommand(app, commands, "join", (address, _) =>
        {
            commands.Join(address);
            return Task.FromResult(MembershipOutcome.Accepted);
        });
        app.MapPost("/cluster/down-unreachable", () =>
            Results.Accepted(value: new { downed = commands.DownUnreachable().Select(a => a.ToString()).ToList() }));
    }

    /// <summary><c>POST /cluster/{action}</c> with <c>{"address": "akka.tcp://system@host:port"}</c>.</summary>
    private static void MapAddressCommand(WebApplication app, MembershipCommands commands, string action,
        Func<Akka.Actor.Address, CancellationToken, Task<MembershipOutcome>> command)
    {
        app.MapPost("/cluster/" + action, async (HttpRequest request, CancellationToken ct) =>
        {
            var (text, bodyProblem) = await ReadAddressAsync(request, ct);
            if (bodyProblem is not null) return Error(StatusCodes.Status400BadRequest, bodyProblem);
            if (!commands.TryParse(text, out var address, out var problem)) return Error(StatusCodes.Status400BadRequest, problem!);
            return await command(address!, ct) switch
            {
                MembershipOutcome.NotAMember => Error(StatusCodes.Status404NotFound, $"'{address}' is not a member of the cluster this node sees"),
                _ => Results.Accepted(value: new { address = address!.ToString(), action }),
            };
        });
    }

    private static async Task<(string? Address, string? Problem)> ReadAddressAsync(HttpRequest request, CancellationToken ct)
    {
        const string expected = "the body must be JSON like {\"address\": \"akka.tcp://fanout@127.0.0.1:4053\"} (akka.ssl.tcp:// with remoting TLS)";
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object) return (null, expected);
            if (!body.RootElement.TryGetProperty("address", out var address)) return (null, null);
            return address.ValueKind == JsonValueKind.String ? (address.GetString(), null) : (null, "\"address\" must be a string");
        }
        catch (JsonException e)
        {
            return (null, $"{expected}: {e.Message}");
        }
    }

    private static void MapSharding(WebApplication app, ShardingInspector sharding)
    {
        app.MapGet("/sharding/regions", async (CancellationToken ct) => Results.Ok(await sharding.RegionsAsync(ct)));
        app.MapGet("/sharding/region-stats", (HttpRequest request, CancellationToken ct) =>
            ForType(request, sharding, async type => Results.Ok(await sharding.RegionStatsAsync(type, ct))));
        app.MapGet("/sharding/shard-stats", (HttpRequest request, CancellationToken ct) =>
            ForType(request, sharding, async type => Results.Ok(await sharding.ShardStatsAsync(type, ct))));
    }

    /// <summary>Runs <paramref name="answer"/> for the <c>type</c> parameter once it names an entity type this node shards.</summary>
    private static async Task<IResult> ForType(HttpRequest request, ShardingInspector sharding, Func<string, Task<IResult>> answer)
    {
        var type = request.Query["type"].ToString();
        if (type.Length == 0)
            return Error(StatusCodes.Status400BadRequest, $"\"type\" is required: one of {string.Join(", ", sharding.TypeNames)}");
        if (!sharding.Knows(type))
            return Error(StatusCodes.Status404NotFound,
                $"no sharded entity type '{type}' on this node (it has: {string.Join(", ", sharding.TypeNames)})");
        return await answer(type);
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
