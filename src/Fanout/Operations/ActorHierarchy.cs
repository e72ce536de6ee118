using Akka.Actor;

namespace Fanout.Operations;

/// <summary>What <c>GET /actors</c> shows: this node's actor tree from the root, to a depth.</summary>
internal sealed record ActorTreeView(string Address, int Depth, ActorNodeView Root);

/// <summary>
/// One actor and, within the depth asked for, its children in name order. <see cref="More"/> counts children
/// left out past <see cref="ActorHierarchy.MaxChildrenPerActor"/>; at the depth limit <see cref="Children"/> is
/// omitted and <see cref="ChildCount"/> says how many there are.
/// </summary>
internal sealed record ActorNodeView(string Path, IReadOnlyList<ActorNodeView>? Children, int? ChildCount = null, int? More = null);

/// <summary>
/// Reads this node's actor hierarchy (<c>pbm actor hierarchy</c>) from the local actor-ref provider: every local
/// actor knows its children, so the tree is walked in place without a message to any actor (asking each one
/// would queue behind busy runs and cost a message per actor).
/// </summary>
internal static class ActorHierarchy
{
    public const int MinDepth = 1;
    public const int MaxDepth = 10;
    public const int DefaultDepth = 3;

    /// <summary>Children listed per actor: a shard may hold thousands of run entities.</summary>
    public const int MaxChildrenPerActor = 200;

    /// <summary>The tree below the root guardian: <c>/user</c> and <c>/system</c> at depth 1, their children at 2, and so on.</summary>
    public static ActorTreeView Read(ActorSystem system, int depth)
    {
        var provider = ((ExtendedActorSystem)system).Provider;
        var root = Node(provider.RootGuardian, depth);
        return new ActorTreeView(provider.DefaultAddress.ToString(), depth, root);
    }

    private static ActorNodeView Node(IActorRef actor, int depthLeft)
    {
        var path = actor.Path.ToStringWithoutAddress();
        if (actor is not ActorRefWithCell withCell) return new ActorNodeView(path, null);
        var children = withCell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList();
        if (depthLeft == 0) return new ActorNodeView(path, null, ChildCount: children.Count);
        var shown = children.Take(MaxChildrenPerActor).Select(c => Node(c, depthLeft - 1)).ToList();
        var more = children.Count - shown.Count;
        return new ActorNodeView(path, shown, More: more > 0 ? more : null);
    }
}
