namespace Fanout.Runtime.Index;

/// <summary>What the index knows of a run id, without asking the run.</summary>
internal enum RunPresence
{
    /// <summary>Never started (no index row, no journal rows).</summary>
    Unknown,

    /// <summary>The index has the run.</summary>
    Indexed,

    /// <summary>No index row, but journal rows: a run journaled before the index existed, or whose start is not yet answered.</summary>
    Journaled,

    /// <summary>The run was purged; its tombstone remains.</summary>
    Purged,
}
