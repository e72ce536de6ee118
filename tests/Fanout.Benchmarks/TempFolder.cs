namespace Fanout.Benchmarks;

/// <summary>
/// A folder under the system's temp directory for this invocation's journal files, removed with
/// everything in it when the program ends (normally, on an error, or after Ctrl-C).
/// </summary>
internal sealed class TempFolder : IDisposable
{
    private int _files;

    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("fanout-bench-").FullName;
    }

    public string Path { get; }

    /// <summary>A path for a new SQLite file, unique within this invocation.</summary>
    public string NewDatabasePath(string scenario, int n) =>
        System.IO.Path.Combine(Path, $"{scenario}-{n}-{Interlocked.Increment(ref _files)}.db");

    /// <summary>Deletes a SQLite file and its WAL and shared-memory companions.</summary>
    public static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(file);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"warning: could not remove {Path}: {e.Message}");
        }
    }
}
