namespace Fanout.Runtime.Journals;

/// <summary>The tables Akka.Persistence.Sql keeps the journal in, under its default names (Fanout does not rename them).</summary>
internal static class JournalTables
{
    public const string Journal = "journal";
    public const string Snapshot = "snapshot";
    public const string Tags = "tags";

    /// <summary>Every table the journal and the snapshot store need before a node may start without creating them.</summary>
    public static readonly IReadOnlyList<string> All = [Journal, Snapshot, Tags];
}
