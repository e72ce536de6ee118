using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fanout.Benchmarks.Reporting;

/// <summary>Writes the same figures as the table, with the machine and settings they were measured on, as JSON.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The file is read by people and scripts, not embedded in HTML: keep apostrophes as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(string path, IReadOnlyList<ScenarioResult> results, bool complete)
    {
        var report = new
        {
            measuredAt = DateTimeOffset.UtcNow,
            complete,
            machine = new
            {
                processors = Environment.ProcessorCount,
                os = RuntimeInformation.OSDescription,
                runtime = RuntimeInformation.FrameworkDescription,
                serverGc = System.Runtime.GCSettings.IsServerGC,
                tieredCompilation = TieredCompilation(),
            },
            settings = new
            {
                warmUpActions = Scenarios.WarmUp.Actions,
                rawShardingMaxInFlight = Scenarios.RawShardingScenario.MaxInFlight,
                mapConcurrency = Scenarios.BenchTasks.MapConcurrency,
                clusterWorkers = Scenarios.ClusterScenario.Workers,
                manyRunsChildrenPerRun = Scenarios.ManyRunsScenario.ChildrenPerRun,
            },
            results = results.Select(r => new
            {
                r.Scenario,
                r.N,
                r.WallSeconds,
                r.ActionsPerSecond,
                r.SucceededRuns,
                r.FailedRuns,
                r.RunsPerSecond,
                r.P50Ms,
                r.P99Ms,
                r.PeakRssMb,
                r.BaselineRssMb,
                r.PeakHeapAfterGcMb,
                r.StoredBytesPerAction,
                r.JournalRowsPerAction,
                r.ReopenSeconds,
                ratioToRawSharding = ResultTable.RawShardingRate(results, r.N) is { } raw ? r.ActionsPerSecond / raw : (double?)null,
                r.Note,
            }),
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, Options);
    }

    /// <summary>Off as the project file sets it, unless the DOTNET_TieredCompilation variable, which wins, says otherwise.</summary>
    private static bool TieredCompilation() =>
        Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is { } variable
            ? variable != "0"
            : AppContext.GetData("System.Runtime.TieredCompilation") as string != "false";
}
