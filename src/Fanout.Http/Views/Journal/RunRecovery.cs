using Akka.Actor;
using Akka.Persistence;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Runtime.Index;

namespace Fanout.Views.Journal;

/// <summary>
/// Recovers one run's <see cref="RunState"/> from the journal the way <see cref="RunActor"/> does (its latest
/// snapshot, then the ledger batches after it), hands it over and stops. It only recovers: it never persists, saves a
/// snapshot or deletes anything, and it is not the run's entity, so nothing resumes, fails or re-indexes the run.
/// </summary>
internal sealed class RunRecovery : UntypedPersistentActor
{
    private readonly TaskCompletionSource<RunState> _recovered;
    private RunState _state;

    public RunRecovery(string runId, TaskCompletionSource<RunState> recovered)
    {
        _recovered = recovered;
        _state = new RunState(runId);
    }

    public override string PersistenceId => RunsIndexStore.PersistenceId(_state.RunId);

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                _state = RunState.FromStored(_state.RunId, offer.Snapshot);
                break;
            case LedgerBatch batch:
                foreach (var entry in batch.Entries) _state.Apply(entry);
                break;
            case RecoveryCompleted:
                _recovered.TrySetResult(_state);
                Context.Stop(Self);
                break;
        }
    }

    protected override void OnCommand(object message) => Unhandled(message);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered.TrySetException(new FanoutException($"Run {_state.RunId} could not be read from the journal: {reason.Message}", reason));
        base.OnRecoveryFailure(reason, message);
    }
}
