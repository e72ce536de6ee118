using System.Text.Json;
using Npgsql;

namespace Fanout.Chaos.Checks;

/// <summary>
/// Reads each run's journal from PostgreSQL and counts, per action, the outcomes recorded for it. A run
/// is one persistent actor (<c>run-ID</c>) whose events are ledger batches: Akka.Persistence.Sql keeps
/// each in the <c>journal</c> table's <c>message</c> column as Fanout's serializer wrote it (manifest
/// <c>L</c>: UTF-8 JSON of <c>{"Entries":[{"Kind":"ActionSucceeded","ActionId":...}, ...]}</c>, kinds as
/// names). Read here as JSON rather than through the serializer, which is internal to Fanout.
/// </summary>
internal static class JournalAudit
{
    private static readonly HashSet<string> OutcomeKinds = ["ActionSucceeded", "ActionFailed", "ActionCancelled"];

    /// <summary>What the journal holds for the runs with <paramref name="runIds"/>.</summary>
    public static async Task<JournalFindings> ReadAsync(string connectionString, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        var findings = new JournalFindings();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var runId in runIds)
        {
            var run = new RunJournal(runId);
            findings.Runs.Add(run);
            await using (var snapshots = new NpgsqlCommand("SELECT COUNT(*) FROM snapshot WHERE persistence_id = @id", connection))
            {
                snapshots.Parameters.AddWithValue("id", $"run-{runId}");
                run.Snapshots = Convert.ToInt32(await snapshots.ExecuteScalarAsync(cancellationToken));
            }
            await using var command = new NpgsqlCommand(
                "SELECT sequence_number, manifest, message, deleted FROM journal WHERE persistence_id = @id ORDER BY sequence_number", connection);
            command.Parameters.AddWithValue("id", $"run-{runId}");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                run.Rows++;
                if (reader.GetBoolean(3)) run.DeletedRows++;
                var manifest = reader.GetString(1);
                if (manifest != "L")
                {
                    run.OtherEvents.Add(manifest);
                    continue;
                }
                Count(run, (byte[])reader.GetValue(2), reader.GetInt64(0));
            }
        }
        return findings;
    }

    private static void Count(RunJournal run, byte[] message, long sequenceNumber)
    {
        using var batch = JsonDocument.Parse(message);
        foreach (var entry in batch.RootElement.GetProperty("Entries").EnumerateArray())
        {
            var kind = entry.GetProperty("Kind").GetString()!;
            var actionId = entry.TryGetProperty("ActionId", out var id) ? id.GetString() : null;
            switch (kind)
            {
                case "ActionRequested" when actionId is not null:
                    run.Requested[actionId] = run.Requested.GetValueOrDefault(actionId) + 1;
                    // A call with room under the in-flight limit starts its first attempt in the same entry.
                    if (entry.TryGetProperty("Attempt", out var attempt) && attempt.GetInt32() > 0)
                        run.Attempts[actionId] = run.Attempts.GetValueOrDefault(actionId) + 1;
                    break;
                case "AttemptStarted" when actionId is not null:
                    run.Attempts[actionId] = run.Attempts.GetValueOrDefault(actionId) + 1;
                    break;
                case "RunFinished":
                    run.RunFinished++;
                    break;
                default:
                    if (OutcomeKinds.Contains(kind) && actionId is not null)
                    {
                        if (!run.Outcomes.TryGetValue(actionId, out var outcomes)) run.Outcomes[actionId] = outcomes = [];
                        outcomes.Add($"{kind} (event {sequenceNumber})");
                    }
                    break;
            }
        }
    }
}

/// <summary>The journal's record of every audited run.</summary>
internal sealed class JournalFindings
{
    public List<RunJournal> Runs { get; } = [];
}

/// <summary>One run's journal: per action, how often it was requested, started and given an outcome.</summary>
internal sealed class RunJournal(string runId)
{
    public string RunId { get; } = runId;
    public int Rows { get; set; }
    public int DeletedRows { get; set; }
    public int Snapshots { get; set; }
    public int RunFinished { get; set; }
    public List<string> OtherEvents { get; } = [];
    public Dictionary<string, int> Requested { get; } = [];
    public Dictionary<string, int> Attempts { get; } = [];
    public Dictionary<string, List<string>> Outcomes { get; } = [];

    /// <summary>Actions with more than one outcome recorded: each a duplicated outcome.</summary>
    public IEnumerable<(string ActionId, List<string> Outcomes)> Duplicated =>
        Outcomes.Where(o => o.Value.Count > 1).Select(o => (o.Key, o.Value));

    /// <summary>Actions requested but never given an outcome.</summary>
    public IEnumerable<string> WithoutOutcome => Requested.Keys.Where(id => !Outcomes.ContainsKey(id));

    /// <summary>Whether part of the journal was replaced by a snapshot, so that counting its events misses some.</summary>
    public bool Partial => Snapshots > 0 || DeletedRows > 0;
}
