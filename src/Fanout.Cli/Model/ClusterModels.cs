namespace Fanout.Cli.Model;

/// <summary><c>GET /cluster</c>: this node, its view of the members, the leader and the executors its runs may use.</summary>
internal sealed record ClusterDto(string Self, List<string>? SelfRoles, string? Leader, List<MemberDto> Members, List<string>? Executors);

/// <summary>One member; <c>AppVersion</c> is absent on nodes older than the operator endpoints.</summary>
internal sealed record MemberDto(string Address, string Status, bool Reachable, List<string>? Roles, string? AppVersion);

/// <summary><c>POST /cluster/leave|down|join</c>.</summary>
internal sealed record MembershipChangeDto(string Address, string Action);

/// <summary><c>POST /cluster/down-unreachable</c>.</summary>
internal sealed record DownedDto(List<string> Downed);

/// <summary>One line of <c>GET /cluster/events</c>.</summary>
internal sealed record ClusterEventDto(DateTimeOffset At, string Event, string? Address, string? Status, List<string>? Roles, bool? Reachable);

/// <summary><c>GET /executors</c>.</summary>
internal sealed record ExecutorsDto(List<ExecutorDto> Executors);

/// <summary>One executor's load, or the error that stood in for it.</summary>
internal sealed record ExecutorDto(string Node, List<string>? Roles, bool? Reachable, int? Slots, int? Busy, int? Waiting, int? MaxWaiting, bool? Draining,
    List<ExecutorRunDto>? Runs, string? Error);

/// <summary>One run's share of an executor's load.</summary>
internal sealed record ExecutorRunDto(string RunId, int Busy, int Waiting);
