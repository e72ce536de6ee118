using System.Globalization;
using Fanout.Benchmarks.Postgres;
using Fanout.Benchmarks.Scenarios;

namespace Fanout.Benchmarks;

/// <summary>What one invocation measures: the sizes, the scenarios, and where the JSON goes.</summary>
/// <param name="Listen">Whether a listener takes Fanout's spans and metrics while it measures (--listen).</param>
internal sealed record BenchmarkSettings(IReadOnlyList<int> Sizes, IReadOnlyList<IScenario> Scenarios, string? JsonPath, bool Listen = false);

/// <summary>Parses the command line; a bad argument is an error that names it, never a silent default.</summary>
internal static class CommandLine
{
    private static readonly int[] DefaultSizes = [1_000, 10_000, 100_000];

    /// <summary>The settings, or the problem with the arguments; <paramref name="help"/> when --help was asked for.</summary>
    public static BenchmarkSettings? Parse(string[] args, out string? problem, out bool help)
    {
        (problem, help) = (null, false);
        IReadOnlyList<int> sizes = DefaultSizes;
        IReadOnlyList<IScenario> scenarios = ScenarioCatalog.Default;
        string? jsonPath = null;
        var (million, cluster, listen) = (false, false, false);

        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            switch (option)
            {
                case "-h" or "--help":
                    help = true;
                    return null;
                case "--million":
                    million = true;
                    continue;
                case "--cluster":
                    cluster = true;
                    continue;
                case "--listen":
                    listen = true;
                    continue;
                case "--n" or "--scenarios" or "--json":
                    break;
                default:
                    problem = $"unknown argument '{option}'";
                    return null;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"{option} needs a value";
                return null;
            }
            var value = args[++i];
            problem = option switch
            {
                "--n" => ParseSizes(value, out sizes),
                "--scenarios" => ParseScenarios(value, out scenarios),
                _ => ParseJsonPath(value, out jsonPath),
            };
            if (problem is not null) return null;
        }

        if (million && !sizes.Contains(1_000_000)) sizes = [.. sizes, 1_000_000];
        if (cluster) scenarios = InCatalogOrder(scenarios.Union(ScenarioCatalog.Cluster));
        // Checked now rather than after the scenarios before them have run.
        if (scenarios.Any(s => s.NeedsPostgres) && BenchPostgres.Problem() is { } postgres)
        {
            problem = $"{string.Join(", ", scenarios.Where(s => s.NeedsPostgres).Select(s => s.Name))}: {postgres}";
            return null;
        }
        if (scenarios.SelectMany(s => sizes.Select(s.SizeProblem)).FirstOrDefault(p => p is not null) is { } size)
        {
            problem = $"--n: {size}";
            return null;
        }
        return new BenchmarkSettings(sizes, scenarios, jsonPath, listen);
    }

    public static void PrintHelp(TextWriter output)
    {
        output.WriteLine("""
            Fanout benchmarks: whole fan-out runs of N no-op actions, against raw Akka.NET sharding and a plain Task.WhenAll.

            usage: dotnet run -c Release --project tests/Fanout.Benchmarks -- [options]

            options:
              --n LIST            comma-separated action counts (default 1000,10000,100000)
              --million           add 1,000,000 to the counts
              --scenarios LIST    comma-separated scenarios to run (default: all but those marked * or +, in the order below)
              --cluster           add the PostgreSQL scenarios (marked *) to the others
              --json PATH         also write the figures as JSON to PATH
              --listen            listen to Fanout's ActivitySource and Meter (every span sampled, every instrument on)
                                  while measuring: its figures next to a run without show the instrumentation's cost
              --help              this text

            scenarios (* needs a PostgreSQL server in FANOUT_BENCH_POSTGRES, e.g. "Host=127.0.0.1;Port=5432;Username=postgres";
            each run creates a database of its own and drops it after; only run with --scenarios or --cluster;
            + only run when named in --scenarios):
            """);
        foreach (var scenario in ScenarioCatalog.All)
            output.WriteLine($"{(scenario.NeedsPostgres ? "* " : scenario.OnlyWhenNamed ? "+ " : "  ")}{scenario.Name,-18} {scenario.Description}");
    }

    private static string? ParseSizes(string value, out IReadOnlyList<int> sizes)
    {
        var parsed = new List<int>();
        sizes = parsed;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            // Digit separators are allowed, as in C#: 100_000.
            if (!int.TryParse(part.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                return $"--n: '{part}' is not a positive whole number (e.g. --n 1000,10000)";
            if (!parsed.Contains(n)) parsed.Add(n);
        }
        return null;
    }

    private static string? ParseScenarios(string value, out IReadOnlyList<IScenario> scenarios)
    {
        var chosen = new List<IScenario>();
        scenarios = chosen;
        foreach (var name in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (ScenarioCatalog.Find(name) is not { } scenario)
                return $"--scenarios: unknown scenario '{name}' (known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))})";
            if (!chosen.Contains(scenario)) chosen.Add(scenario);
        }
        scenarios = InCatalogOrder(chosen);
        return null;
    }

    // Run in catalog order whatever order they were named in, so the table always reads the same way.
    private static List<IScenario> InCatalogOrder(IEnumerable<IScenario> scenarios) =>
        scenarios.Distinct().OrderBy(s => ScenarioCatalog.All.ToList().IndexOf(s)).ToList();

    private static string? ParseJsonPath(string value, out string? jsonPath)
    {
        jsonPath = Path.GetFullPath(value);
        // Checked now rather than after an hour of measuring.
        var folder = Path.GetDirectoryName(jsonPath);
        if (Directory.Exists(jsonPath))
            return $"--json: '{value}' is a directory; give a file path";
        if (folder is not null && !Directory.Exists(folder))
            return $"--json: the folder '{folder}' does not exist";
        return null;
    }
}
