using Akka.Cluster;

namespace Fanout.Operations;

/// <summary>
/// One line of <c>GET /cluster/events</c>: a member as it was when the stream began (<c>CurrentMember</c>), or a
/// membership or reachability event named as Akka names it (<c>MemberUp</c>, <c>UnreachableMember</c>, ...);
/// for <c>LeaderChanged</c>, <see cref="Address"/> is the new leader (omitted when there is none).
/// </summary>
internal sealed record ClusterEventLine(DateTimeOffset At, string Event, string? Address, string? Status = null,
    IReadOnlyList<string>? Roles = null, bool? Reachable = null)
{
    public static ClusterEventLine Of(string @event, Member member, bool? reachable = null) =>
        new(DateTimeOffset.UtcNow, @event, member.Address.ToString(), member.Status.ToString(),
            member.Roles.Order(StringComparer.Ordinal).ToList(), reachable);
}
