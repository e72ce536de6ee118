using Fanout.Runtime.Index;
using Fanout.Runtime.Journals;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fanout.Views.Journal;

/// <summary>
/// A Fanout journal to browse, found and checked, with connections that cannot write: a SQLite file opened
/// <c>Mode=ReadOnly</c> (its runs index beside it, when there is one), or a PostgreSQL database whose sessions
/// start with <c>default_transaction_read_only</c> on, so even a bug here could not change the journal.
/// </summary>
internal sealed class JournalLocation
{
    /// <summary>The journal file's extension; a SQLite journal's runs index is <c>*.runs.db</c> beside it.</summary>
    private const string SqliteExtension = ".db";

    private JournalLocation(JournalConnection journal, RunsIndexDatabase database, string description)
    {
        Journal = journal;
        Database = database;
        Description = description;
    }

    /// <summary>The journal, as Akka.Persistence.Sql is given it (read-only connection string).</summary>
    public JournalConnection Journal { get; }

    /// <summary>The journal's database and its runs index's (read-only connection strings).</summary>
    public RunsIndexDatabase Database { get; }

    /// <summary>The file's full path, or the PostgreSQL server and database without secrets.</summary>
    public string Description { get; }

    /// <summary>
    /// The journal at <paramref name="sqlitePath"/> (a file, or a folder holding one journal file), or on PostgreSQL with
    /// <paramref name="postgresConnectionString"/>; with neither, the embedded runtime's default file.
    /// </summary>
    /// <exception cref="ArgumentException">The file or folder is missing, holds no Fanout journal, or a folder holds several.</exception>
    /// <exception cref="FanoutException">PostgreSQL cannot be reached.</exception>
    public static async Task<JournalLocation> FindAsync(string? sqlitePath, string? postgresConnectionString, CancellationToken ct)
    {
        if (sqlitePath is not null && postgresConnectionString is not null)
            throw new ArgumentException("give --db or --postgres, not both");
        var location = postgresConnectionString is not null
            ? Postgres(postgresConnectionString)
            : Sqlite(SqliteFile(sqlitePath ?? new FanoutRuntimeOptions().DatabasePath));
        await location.CheckHasJournalAsync(ct).ConfigureAwait(false);
        return location;
    }

    /// <summary>The journal file a path names: the file itself, or a folder's one <c>*.db</c> that is not a runs index.</summary>
    private static string SqliteFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath)) return fullPath;
        if (!Directory.Exists(fullPath)) throw new ArgumentException($"no such file or folder: {fullPath}");
        var journals = Directory.GetFiles(fullPath, "*" + SqliteExtension)
            .Where(file => !file.EndsWith(".runs" + SqliteExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return journals.Count switch
        {
            1 => journals[0],
            0 => throw new ArgumentException($"no journal file (*{SqliteExtension}) in the folder {fullPath}"),
            _ => throw new ArgumentException(
                $"the folder {fullPath} holds {journals.Count} journal files ({string.Join(", ", journals.Select(Path.GetFileName))}): " +
                "name one with --db <file>"),
        };
    }

    private static JournalLocation Sqlite(string file)
    {
        var journal = ReadOnlySqlite(file);
        var indexFile = RunsIndexDatabase.IndexPathBeside(file);
        // A journal written before the runs index existed has no index file: its runs are then found only by id.
        var index = File.Exists(indexFile) ? ReadOnlySqlite(indexFile) : journal;
        return new JournalLocation(JournalConnection.ForReading(journal, "SQLite.MS", file),
            new RunsIndexDatabase(index, journal, isPostgres: false), file);
    }

    private static string ReadOnlySqlite(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

    private static JournalLocation Postgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"--postgres is not a valid PostgreSQL connection string: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host)) throw new ArgumentException("--postgres names no Host");
        // Every session of this viewer is read-only on the server's side too.
        builder.Options = ((builder.Options ?? "") + " -c default_transaction_read_only=on").Trim();
        var readOnly = builder.ConnectionString;
        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new JournalLocation(JournalConnection.ForReading(readOnly, "PostgreSQL.15", description),
            new RunsIndexDatabase(readOnly, readOnly, isPostgres: true), description);
    }

    /// <summary>Whether the runs index table is there (a journal from before the index has none).</summary>
    public async Task<bool> HasRunsIndexAsync(CancellationToken ct)
    {
        await using var connection = await Database.OpenAsync(ct).ConfigureAwait(false);
        return await Database.TableExistsAsync(connection, RunsIndexStore.Table, ct).ConfigureAwait(false);
    }

    private async Task CheckHasJournalAsync(CancellationToken ct)
    {
        bool found;
        try
        {
            await using var connection = await Database.OpenJournalAsync(ct).ConfigureAwait(false);
            found = await Database.TableExistsAsync(connection, JournalTables.Journal, ct).ConfigureAwait(false)
                || await Database.TableExistsAsync(connection, JournalTables.Snapshot, ct).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new ArgumentException($"{Description} cannot be read as a Fanout journal (SQLite says: {e.Message})", e);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new FanoutException($"The journal database cannot be reached: {Description} ({e.Message})", e);
        }
        if (!found)
            throw new ArgumentException($"{Description} holds no Fanout journal (no '{JournalTables.Journal}' or '{JournalTables.Snapshot}' table)");
    }
}
