using Akka.Actor;

namespace Fanout.Benchmarks.Scenarios.Delivery;

/// <summary>The actors one round of a variant made: the runs to start, and everything to stop afterwards.</summary>
internal sealed record RoundActors(IReadOnlyList<IActorRef> Runs, IReadOnlyList<IActorRef> All);

/// <summary>One way of carrying attempts from the runs to the executor and reports back: what a delivery scenario times.</summary>
internal abstract class DeliveryVariant
{
    /// <summary>How many <see cref="DeliveryRound.Ready"/> signals mean the round's connections are all up.</summary>
    public abstract int ReadySignals(int producers);

    /// <summary>Creates the round's runs on the runs' node and its executor side on the executor's node, connected.</summary>
    public abstract Task<RoundActors> SetUpAsync(LoopbackPair pair, DeliveryRound round, string roundName);

    /// <summary>What the note says about the variant's settings.</summary>
    public abstract string Describe();
}
