using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Fanout;

/// <summary>
/// Settings of an embedded runtime (<see cref="FanoutRuntime.StartEmbeddedAsync"/>). Every default
/// works on a developer machine: a one-node cluster on 127.0.0.1, a SQLite journal under the working
/// directory, and the HTTP API on a free port.
/// </summary>
public sealed class FanoutRuntimeOptions
{
    /// <summary>The journal's SQLite file (default <c>fanout-data/fanout.db</c> under the working directory). Its folder is created.</summary>
    public string DatabasePath { get; set; } = Path.Combine("fanout-data", "fanout.db");

    /// <summary>The Akka.NET actor system's name (default <c>fanout</c>).</summary>
    public string SystemName { get; set; } = "fanout";

    /// <summary>The remoting port on 127.0.0.1 (default 0: a free port).</summary>
    public int Port { get; set; }

    /// <summary>The HTTP API's port on 127.0.0.1 (default 0: a free port); null turns the HTTP API off.</summary>
    public int? HttpPort { get; set; } = 0;

    /// <summary>Where Fanout logs (default: nowhere). Akka's own messages go here too, at <see cref="AkkaLogLevel"/> and above.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The least level of Akka.NET's own log messages that reach <see cref="LoggerFactory"/> (default Warning).</summary>
    public LogLevel AkkaLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// How many attempts of one action may be lost with their node (started, never reported back)
    /// before the action fails (default 3). These are separate from a task's own <see cref="TaskOptions.Retries"/>,
    /// which count attempts that failed with an exception.
    /// </summary>
    public int LostAttemptRetries { get; set; } = 3;

    /// <summary>
    /// The largest input or output of one action, in bytes of JSON (default 1 MiB). A call over it
    /// fails with <see cref="PayloadTooLargeException"/> instead of bloating the journal or breaking a
    /// connection between nodes (whose frame limit Fanout sets to 4 MiB).
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many of one run's actions may be out on nodes at once (default 10,000). Calls beyond it are
    /// journaled as <see cref="ActionStatus.Queued"/> and start as others end, so a parent may start a
    /// million calls at once. A parent waiting for its children does not count.
    /// </summary>
    public int MaxActionsInFlightPerRun { get; set; } = 10_000;

    /// <summary>
    /// How many action bodies this node runs at once (default 1,000); attempts beyond it wait on the node
    /// in arrival order. A parent gives its slot back when it makes its first child call.
    /// </summary>
    public int ActionSlots { get; set; } = 1_000;

    /// <summary>
    /// The fewest journal entries between two snapshots of a run (default 50,000); a run also waits for
    /// as many entries as it has actions. Internal: tests lower it to snapshot small runs.
    /// </summary>
    internal long SnapshotAfterEntries { get; set; } = 50_000;

    /// <summary>
    /// Assemblies whose statically defined tasks this node registers at start, beside the entry
    /// assembly's and tasks already defined in the process. A run resumed after a restart can only
    /// continue if its tasks are registered before the runtime starts.
    /// </summary>
    public IList<Assembly> TaskAssemblies { get; } = new List<Assembly>();

    /// <summary>Extra HOCON laid over Fanout's Akka.NET configuration, for settings these options do not cover.</summary>
    public string? AkkaConfig { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting with a bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
            throw new ArgumentException("DatabasePath must name a file", nameof(DatabasePath));
        if (string.IsNullOrWhiteSpace(SystemName) || !SystemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"SystemName '{SystemName}' must be letters, digits, '-' and '_'", nameof(SystemName));
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535");
        if (HttpPort is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(HttpPort), HttpPort, "HttpPort must be between 0 and 65535 (or null for no HTTP API)");
        if (MaxPayloadBytes is < 1024 or > 3 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), MaxPayloadBytes,
                "MaxPayloadBytes must be between 1 KiB and 3 MiB (under the 4 MiB frame between nodes)");
        if (MaxActionsInFlightPerRun < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxActionsInFlightPerRun), MaxActionsInFlightPerRun, "MaxActionsInFlightPerRun must be 1 or more");
        if (ActionSlots < 1)
            throw new ArgumentOutOfRangeException(nameof(ActionSlots), ActionSlots, "ActionSlots must be 1 or more");
        if (SnapshotAfterEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(SnapshotAfterEntries), SnapshotAfterEntries, "SnapshotAfterEntries must be 1 or more");
        if (LostAttemptRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(LostAttemptRetries), LostAttemptRetries, "LostAttemptRetries must be 0 or more");
    }
}
