namespace Fanout;

/// <summary>The database a runtime journals its runs to.</summary>
public enum FanoutJournal
{
    /// <summary>A SQLite file (<see cref="FanoutRuntimeOptions.DatabasePath"/>): the default, for one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<see cref="FanoutRuntimeOptions.ConnectionString"/>), shared by the nodes of a cluster.</summary>
    PostgreSql,
}
