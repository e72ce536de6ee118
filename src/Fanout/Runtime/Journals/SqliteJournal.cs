using Microsoft.Data.Sqlite;

namespace Fanout.Runtime.Journals;

/// <summary>Prepares the SQLite file the embedded runtime journals to.</summary>
internal static class SqliteJournal
{
    /// <summary>The connection string of the journal's file, the same whether or not the file exists yet.</summary>
    public static string ConnectionString(string databasePath) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), Pooling = true }.ToString();

    /// <summary>Creates the file's folder, switches the file to WAL mode, and returns its connection string.</summary>
    /// <exception cref="ArgumentException">The path cannot be opened as a SQLite database.</exception>
    public static string Prepare(string databasePath)
    {
        var fullPath = Path.GetFullPath(databasePath);
        var folder = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var connectionString = ConnectionString(databasePath);

        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            // WAL lets the journal's readers and its writer work at once; it is a property of the file.
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw new ArgumentException($"DatabasePath '{databasePath}' cannot be opened as a SQLite database: {e.Message}",
                nameof(FanoutRuntimeOptions.DatabasePath), e);
        }
        return connectionString;
    }
}
