using System.Globalization;

namespace Fanout.Chaos;

/// <summary>What one invocation does.</summary>
internal sealed record ChaosSettings(
    double Minutes,
    double Drop,
    double StallBoundSeconds,
    double FinishWithinSeconds,
    int RunsInFlight,
    int Slots,
    int Seed,
    string? JsonPath,
    string? LogsPath,
    bool Verbose)
{
    /// <summary>The harness always runs three workers: a kill leaves two, a majority with the lighthouse.</summary>
    public const int Workers = 3;
}

/// <summary>Parses the command line; a bad argument is an error that names it, never a silent default.</summary>
internal static class CommandLine
{
    public static ChaosSettings? Parse(string[] args, out string? problem, out bool help)
    {
        (problem, help) = (null, false);
        var settings = new ChaosSettings(2, 0, 60, 180, 6, 8, Random.Shared.Next(1, 1_000_000), null, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option is "-h" or "--help")
            {
                help = true;
                return null;
            }
            if (option == "--verbose")
            {
                settings = settings with { Verbose = true };
                continue;
            }
            if (option is not ("--minutes" or "--drop" or "--stall-bound" or "--finish-within" or "--runs" or "--slots" or "--seed" or "--json" or "--logs"))
            {
                problem = $"unknown argument '{option}'";
                return null;
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"{option} needs a value";
                return null;
            }
            var value = args[++i];
            (settings, problem) = option switch
            {
                "--minutes" => Number(value, option, 0.1, 24 * 60, out var v) is { } p ? (settings, p) : (settings with { Minutes = v }, null),
                "--drop" => Number(value, option, 0, 0.5, out var v) is { } p ? (settings, p) : (settings with { Drop = v }, null),
                "--stall-bound" => Number(value, option, 1, 3600, out var v) is { } p ? (settings, p) : (settings with { StallBoundSeconds = v }, null),
                "--finish-within" => Number(value, option, 10, 3600, out var v) is { } p ? (settings, p) : (settings with { FinishWithinSeconds = v }, null),
                "--runs" => Whole(value, option, 1, 100, out var n) is { } p ? (settings, p) : (settings with { RunsInFlight = n }, null),
                "--slots" => Whole(value, option, 1, 10_000, out var n) is { } p ? (settings, p) : (settings with { Slots = n }, null),
                "--seed" => Whole(value, option, 0, int.MaxValue, out var n) is { } p ? (settings, p) : (settings with { Seed = n }, null),
                "--json" => Writable(value, option, out var path) is { } p ? (settings, p) : (settings with { JsonPath = path }, null),
                _ => Folder(value, out var path) is { } p ? (settings, p) : (settings with { LogsPath = path }, null),
            };
            if (problem is not null) return null;
        }
        // Checked now, not after the cluster has started.
        if (Cluster.ChaosPostgres.Server(out var serverProblem) is null)
        {
            problem = serverProblem;
            return null;
        }
        return settings;
    }

    public static void PrintHelp(TextWriter output) => output.WriteLine("""
        Fanout chaos harness: runs of every pattern on a lighthouse, three workers and PostgreSQL on loopback,
        while a random worker is killed every 15-30 s (kill -9 and SIGTERM in turn) and started again; then checks
        every run's result, the journal (no outcome recorded twice), stalls, and counts bodies that ran again.

        usage: dotnet run -c Release --project tests/Fanout.Chaos -- [options]

        options:
          --minutes M          how long faults are injected and runs started (default 2)
          --drop P             also drop each message a worker or the harness sends with probability P (0-0.5; default 0, none)
          --stall-bound S      the longest a run may go without progress in its counts, in seconds (default 60)
          --finish-within S    after the last fault, how long runs still going get to finish (default 180)
          --runs N             runs kept going at once (default 6)
          --slots N            bodies each worker runs at once (FANOUT_ACTION_SLOTS; default 8)
          --seed N             the random seed (default: a new one, printed)
          --json PATH          also write the report as JSON to PATH
          --logs DIR           keep the processes' output, the execution log and the timeline in DIR
                               (default: a temporary folder, kept only when a check fails)
          --verbose            print the timeline as it happens
          --help               this text

        needs FANOUT_CHAOS_POSTGRES (or FANOUT_TEST_POSTGRES): a PostgreSQL connection string of a user who may
        create databases; each invocation creates one and drops it at the end.
        exit code: 0 when every check passes, 1 when one fails (or the harness could not run), 2 for bad arguments.
        """);

    private static string? Number(string text, string option, double min, double max, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return null;
        return $"{option} '{text}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string? Whole(string text, string option, int min, int max, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return null;
        return $"{option} '{text}' must be a whole number from {min} to {max}";
    }

    private static string? Writable(string text, string option, out string path)
    {
        path = Path.GetFullPath(text);
        if (Directory.Exists(path)) return $"{option}: '{text}' is a directory; give a file path";
        var folder = Path.GetDirectoryName(path);
        return folder is not null && !Directory.Exists(folder) ? $"{option}: the folder '{folder}' does not exist" : null;
    }

    private static string? Folder(string text, out string path)
    {
        path = Path.GetFullPath(text);
        if (File.Exists(path)) return $"--logs: '{text}' is a file; give a folder (it is created if missing)";
        return Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()
            ? $"--logs: '{text}' is not empty; give a new or empty folder"
            : null;
    }
}

