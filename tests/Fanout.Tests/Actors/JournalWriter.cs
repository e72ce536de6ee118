using Akka.Actor;
using Akka.Persistence;

namespace Fanout.Tests.Actors;

/// <summary>Writes given events under a persistence id, to set up a journal as a crash would have left it.</summary>
public sealed class JournalWriter : ReceivePersistentActor
{
    public JournalWriter(string persistenceId, IReadOnlyList<object> events)
    {
        PersistenceId = persistenceId;
        Recover<object>(_ => { });
        Command<string>(_ =>
        {
            var replyTo = Sender;
            var left = events.Count;
            PersistAll(events, _ =>
            {
                if (--left == 0) replyTo.Tell("written");
            });
        });
    }

    public override string PersistenceId { get; }
}
