using Akka.Actor;
using Akka.Persistence;

namespace Fanout.Tests.Hosting;

/// <summary>An app's own persistent actor, on the app's own (default) journal: it counts what it is told to add.</summary>
public sealed class AppCounter : ReceivePersistentActor
{
    private int _total;

    public AppCounter()
    {
        Command<int>(amount => Persist(amount, added =>
        {
            _total += added;
            Sender.Tell(_total);
        }));
        Recover<int>(added => _total += added);
    }

    public override string PersistenceId => "app-counter";

    public static Props Props() => Akka.Actor.Props.Create(() => new AppCounter());
}
