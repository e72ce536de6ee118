using System.Security.Cryptography;
using Fanout.Tests.Support;
using Npgsql;

namespace Fanout.Tests.JournalViews;

/// <summary>
/// A fingerprint of everything a journal holds, to show that browsing it changed nothing: the bytes of a SQLite journal's
/// files (the database files and their write-ahead logs; not the shared-memory index, which readers rebuild), or on
/// PostgreSQL the database's tables and every row of each.
/// </summary>
public static class JournalFiles
{
    public static async Task<string> FingerprintAsync(FanoutRuntimeOptions options) =>
        options.Journal == FanoutJournal.Sqlite ? SqliteFingerprint(options.DatabasePath) : await PostgresFingerprintAsync(options.ConnectionString!);

    private static string SqliteFingerprint(string databasePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        // An empty write-ahead log is the same journal as none (a reader of a WAL-mode file makes one).
        return string.Join('\n', files.Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) || new FileInfo(f).Length > 0)
            .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));
    }

    private static async Task<string> PostgresFingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var lines = new List<string>();
        foreach (var table in tables)
        {
            await using var digest = new NpgsqlCommand(
                $"SELECT count(*) || ' ' || md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t", connection);
            lines.Add($"{table} {await digest.ExecuteScalarAsync()}");
        }
        Assert.Contains(lines, line => line.StartsWith("journal ", StringComparison.Ordinal)); // it fingerprints a journal
        return string.Join('\n', lines);
    }
}
