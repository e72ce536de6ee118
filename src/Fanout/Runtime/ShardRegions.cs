using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Fanout.Protocol;

namespace Fanout.Runtime;

/// <summary>The two sharded entity types and how messages find their entity.</summary>
internal static class ShardRegions
{
    public const string Runs = "fanout-run";
    public const string Actions = "fanout-action";
    public const int ShardCount = 100;

    /// <summary>
    /// Sharding settings for actions, with idle passivation off whatever the config says. An action
    /// passivates itself when its attempt ends; a parent waiting a long time for its children hears
    /// from them directly (not through sharding), so idle passivation would stop it mid-gather.
    /// </summary>
    public static ClusterShardingSettings ActionSettings(ActorSystem system)
    {
        var sharding = ConfigurationFactory.ParseString("passivate-idle-entity-after = off")
            .WithFallback(system.Settings.Config.GetConfig("akka.cluster.sharding"));
        return ClusterShardingSettings.Create(sharding, system.Settings.Config.GetConfig("akka.cluster.singleton"));
    }

    /// <summary>Routes run messages by run id and action messages by action id, hashed over the shards.</summary>
    internal sealed class Extractor() : HashCodeMessageExtractor(ShardCount)
    {
        public override string? EntityId(object message) => message switch
        {
            IRunMessage run => run.RunId,
            IActionMessage action => action.ActionId,
            _ => null,
        };
    }
}
