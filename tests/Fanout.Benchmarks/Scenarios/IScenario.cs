using Fanout.Benchmarks.Reporting;

namespace Fanout.Benchmarks.Scenarios;

/// <summary>One thing measured at a given N: it sets itself up, warms up, times one run and tears down.</summary>
internal interface IScenario
{
    /// <summary>The name used on the command line and in the table.</summary>
    string Name { get; }

    /// <summary>One line on what is measured, for --help and the table's legend.</summary>
    string Description { get; }

    /// <summary>
    /// Whether it needs the PostgreSQL server named by FANOUT_BENCH_POSTGRES. Such scenarios run only when
    /// asked for (--scenarios, --cluster), since a default run must work on a machine with no server.
    /// </summary>
    bool NeedsPostgres => false;

    /// <summary>
    /// Whether it runs only when named in --scenarios: a study that is not a figure of Fanout itself
    /// (the delivery comparison), kept out of the default set and of CI's run.
    /// </summary>
    bool OnlyWhenNamed => false;

    /// <summary>Why it cannot run at <paramref name="n"/>, or null when it can (checked before anything runs).</summary>
    string? SizeProblem(int n) => null;

    Task<ScenarioResult> RunAsync(int n, TempFolder temp, CancellationToken cancellationToken);
}
