namespace Fanout.Runtime;

/// <summary>
/// What sharding sends a run to stop it, when it passivates the run or hands its shard to another node.
/// Not a PoisonPill: a run must not stop with a journal write in flight, or that write could land after the
/// run's next incarnation (on another node) has recovered and started writing, and the journal would hold
/// two writers' facts for one run (outcomes twice). The run stops once what it recorded is durable. Local only.
/// </summary>
internal sealed class StopRun : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly StopRun Instance = new();

    private StopRun()
    {
    }
}
