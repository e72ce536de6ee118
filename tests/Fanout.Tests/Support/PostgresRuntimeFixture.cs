namespace Fanout.Tests.Support;

/// <summary>The end-to-end specs' shared runtime on a PostgreSQL journal: a new database on the test server.</summary>
public sealed class PostgresRuntimeFixture() : RuntimeFixture(FanoutJournal.PostgreSql);

/// <summary>
/// Runs alone, after the parallel collections: its specs read process-wide probes (PatternTasks,
/// FailureTasks) that the same specs on SQLite, in <see cref="RuntimeCollection"/>, write too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresRuntimeCollection : ICollectionFixture<PostgresRuntimeFixture>
{
    public const string Name = "embedded runtime on PostgreSQL";
}
