using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Fanout.Tests.Actors;

/// <summary>
/// Akka.Persistence's in-memory journal, which rejects or fails the next writes of a persistence id when a
/// spec says so: a rejection answers the write with an error and stores nothing (what a journal does with an
/// event it cannot take), a failure fails the whole call (what Akka.Persistence.Sql does when the database is
/// down or its write queue is full). Specs name their own persistence ids, so they can share it.
/// </summary>
public sealed class FaultyJournal : MemoryJournal
{
    /// <summary>
    /// The HOCON that makes it the journal of an actor system. The journal's internal envelope of a failed or
    /// rejected write carries the exception, which <c>serialize-messages = on</c> cannot copy: it never leaves
    /// the process, so it passes untouched.
    /// </summary>
    public const string Hocon = Support.LocalOnlySerializer.Hocon + """

        akka.actor.serialization-bindings { "Akka.Persistence.Journal.AsyncWriteJournal+Desequenced, Akka.Persistence" = local-only }
        akka.persistence.journal.plugin = "akka.persistence.journal.faulty"
        akka.persistence.journal.faulty {
          class = "Fanout.Tests.Actors.FaultyJournal, Fanout.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private static readonly ConcurrentDictionary<string, int> RejectionsLeft = new();
    private static readonly ConcurrentDictionary<string, int> FailuresLeft = new();
    private static readonly ConcurrentDictionary<string, int> RejectionsMade = new();

    public static void RejectNextWrites(string persistenceId, int count) => RejectionsLeft[persistenceId] = count;

    public static void FailNextWrites(string persistenceId, int count) => FailuresLeft[persistenceId] = count;

    /// <summary>How many writes of the persistence id were rejected so far.</summary>
    public static int Rejected(string persistenceId) => RejectionsMade.GetValueOrDefault(persistenceId);

    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        foreach (var write in writes)
            if (TakeOne(FailuresLeft, write.PersistenceId))
                throw new InvalidOperationException($"injected journal failure for {write.PersistenceId}");

        var results = ImmutableList.CreateBuilder<Exception>();
        foreach (var write in writes)
        {
            if (TakeOne(RejectionsLeft, write.PersistenceId))
            {
                RejectionsMade.AddOrUpdate(write.PersistenceId, 1, (_, n) => n + 1);
                results.Add(new InvalidOperationException($"injected rejection of a write of {write.PersistenceId}"));
                continue;
            }
            await base.WriteMessagesAsync([write], cancellationToken);
            results.Add(null!); // stored
        }
        return results.ToImmutable();
    }

    private static bool TakeOne(ConcurrentDictionary<string, int> budget, string persistenceId)
    {
        while (budget.TryGetValue(persistenceId, out var left) && left > 0)
            if (budget.TryUpdate(persistenceId, left - 1, left)) return true;
        return false;
    }
}
