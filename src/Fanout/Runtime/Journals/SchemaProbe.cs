using Akka.Persistence;

namespace Fanout.Runtime.Journals;

/// <summary>
/// A persistent actor that only recovers, and writes nothing: its recovery asks the snapshot store and then the journal,
/// which answer only once they have initialized (created their tables), so a finished recovery means both are ready.
/// </summary>
internal sealed class SchemaProbe(TaskCompletionSource recovered) : UntypedPersistentActor
{
    public override string PersistenceId => "fanout-schema-migration";

    protected override void OnRecover(object message)
    {
        if (message is RecoveryCompleted)
        {
            recovered.TrySetResult();
            Context.Stop(Self);
        }
    }

    protected override void OnCommand(object message) => Unhandled(message);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        recovered.TrySetException(new FanoutException($"The journal's plugins failed while they created their tables: {reason.Message}", reason));
        base.OnRecoveryFailure(reason, message);
    }
}
