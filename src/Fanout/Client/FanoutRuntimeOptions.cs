using System.Reflection;
using Fanout.Clustering;
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

    /// <summary>
    /// Where runs are journaled (default <see cref="FanoutJournal.Sqlite"/>, the file at <see cref="DatabasePath"/>).
    /// A cluster of several nodes shares one <see cref="FanoutJournal.PostgreSql"/> database.
    /// </summary>
    public FanoutJournal Journal { get; set; } = FanoutJournal.Sqlite;

    /// <summary>
    /// The PostgreSQL connection string when <see cref="Journal"/> is <see cref="FanoutJournal.PostgreSql"/>
    /// (for example <c>Host=db;Username=fanout;Password=...;Database=fanout</c>). The runtime checks it
    /// at start and creates its tables when they are missing (unless <see cref="CreateSchema"/> is false).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Akka.NET actor system's name (default <c>fanout</c>).</summary>
    public string SystemName { get; set; } = "fanout";

    /// <summary>The remoting port (default 0: a free port).</summary>
    public int Port { get; set; }

    /// <summary>
    /// The host name or IP address this node listens on for cluster traffic (default <c>127.0.0.1</c>).
    /// In a container, <c>0.0.0.0</c> with <see cref="PublicHostname"/> set to the name others reach it by.
    /// </summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The host name other members reach this node by, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// The cluster's seed nodes, as Akka.NET addresses (<c>akka.tcp://fanout@host:4053</c>). Empty (the
    /// default) makes this node a cluster of one. With seeds it joins them, and fails to start when none
    /// answers within <see cref="JoinTimeout"/>.
    /// </summary>
    public IList<string> Seeds { get; } = new List<string>();

    /// <summary>How long the node tries to join <see cref="Seeds"/> before it gives up (default 30 s).</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This node's roles, beyond <c>fanout-worker</c> which every runtime node has. An environment with a
    /// role (<see cref="TaskEnvironment.Role"/>) runs its actions only on nodes that have it.
    /// </summary>
    public IList<string> Roles { get; } = new List<string>();

    /// <summary>
    /// How long an action waits for a live node with its environment's role before it fails (default
    /// 5 minutes). Meanwhile the run's summary says what it waits for.
    /// </summary>
    public TimeSpan PlacementTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a leaving node (SIGTERM, dispose) waits for its running actions to end before it hands
    /// the rest to other nodes (default 10 s). Actions that are waiting for children are handed off at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The HTTP API's port (default 0: a free port); null turns the HTTP API off. The API and the run pages are in the
    /// Fanout.Http package: an app without it runs with no API, logs a warning, and its run URLs are null.
    /// </summary>
    public int? HttpPort { get; set; } = 0;

    /// <summary>The address the HTTP API listens on (default <c>127.0.0.1</c>; <c>0.0.0.0</c> for every interface).</summary>
    public string HttpHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// The address people reach the HTTP API at, such as <c>https://fanout.example.com/</c> behind a proxy or an
    /// ingress (default null: the address it listens on). <see cref="FanoutRuntime.BaseUrl"/> and every run URL
    /// (<see cref="RunHandle{TOut}.Url"/>, the <c>url</c> of <c>POST /runs</c>) start with it. Must be an absolute
    /// http or https URL without a query; a path is kept (<c>https://example.com/fanout/</c>).
    /// </summary>
    public Uri? HttpPublicUrl { get; set; }

    /// <summary>
    /// The type that serves the HTTP API, found by name (<see cref="Runtime.HttpApiPlugins"/>); a spec names one that is
    /// not there to see a runtime in an app without the Fanout.Http package.
    /// </summary>
    internal string HttpApiPluginType { get; set; } = Runtime.HttpApiPlugins.DefaultTypeName;

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
    /// The largest input or output of one action, in bytes of its UTF-8 JSON, with strings escaped only as
    /// JSON requires: "é" counts two bytes, a quote (written \") two (default 1 MiB, at most 3 MiB). A call over it
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
    /// How many attempts may wait on this node for a free slot (default null: ten times
    /// <see cref="ActionSlots"/>; 0 means none wait). An attempt that arrives when that many wait is
    /// handed back to its run at once, which starts it on another node (or waits for room) without
    /// counting it as a retry or a lost attempt. Runs send each attempt to the least loaded node that may
    /// run it and send nothing to a node that says it is full.
    /// </summary>
    public int? MaxWaitingActions { get; set; }

    /// <summary>
    /// The most actions one run may record, its root included (default 10,000,000). A child call beyond it is not
    /// started: it fails with an error naming this setting and the run, which the awaiting parent gets as an
    /// <see cref="ActionFailedException"/> (or collects, with <c>returnExceptions</c>); the run's other actions go on.
    /// The run that journals the calls checks it, not the node that makes them.
    /// </summary>
    public int MaxActionsPerRun { get; set; } = 10_000_000;

    /// <summary>
    /// The most running runs this node hosts at once (default 200,000: twice the most the benchmark starts at
    /// once; a small run holds tens of KB, so lower it on a node with little memory). Runs live on the node
    /// their id's shard is on; a start of a
    /// new run there beyond it is refused with <see cref="TooManyRunsInFlightException"/> (HTTP 503) and nothing is
    /// journaled, so it may be started again later. Runs resumed after a restart or moved from a lost node
    /// count but are never refused.
    /// </summary>
    public int MaxRunsInFlight { get; set; } = 200_000;

    /// <summary>
    /// The fewest journal entries between two snapshots of a run (default 50,000); a run also waits for
    /// as many entries as it has actions. Internal: tests lower it to snapshot small runs.
    /// </summary>
    internal long SnapshotAfterEntries { get; set; } = 50_000;

    /// <summary>What Fanout.TestKit replaces in this runtime (clock, task bodies, observer, in-memory journal).</summary>
    internal Runtime.Hooks.RuntimeHooks Hooks { get; set; } = Runtime.Hooks.RuntimeHooks.Production;

    /// <summary>
    /// Assemblies whose statically defined tasks this node registers at start, beside the entry
    /// assembly's and tasks already defined in the process. A run resumed after a restart can only
    /// continue if its tasks are registered before the runtime starts.
    /// </summary>
    public IList<Assembly> TaskAssemblies { get; } = new List<Assembly>();

    /// <summary>
    /// How long a finished run is kept after it ends (default null: forever). Past it, the run's journal rows,
    /// snapshots and runs-index entry are purged, checked every quarter of this age (at least every 10 minutes);
    /// its id then answers "purged". <see cref="FanoutRuntime.PurgeRunsAsync"/> purges on demand.
    /// </summary>
    public TimeSpan? RunRetention { get; set; }

    /// <summary>
    /// Whether this node creates the journal's tables and the runs index when they are missing (default true, so an
    /// embedded runtime needs no set-up). False: the node never issues DDL and may connect as a role with no right to
    /// create tables; the tables must exist (made by <c>Fanout.Node migrate</c>), and a node that finds one missing
    /// fails to start naming it.
    /// </summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>Extra HOCON laid over Fanout's Akka.NET configuration, for settings these options do not cover.</summary>
    public string? AkkaConfig { get; set; }

    // ---- Securing the HTTP API (README: "Securing the HTTP API") ----

    /// <summary>
    /// The operator's bearer token (default null): with it set, every HTTP endpoint but <c>/health/live</c> and
    /// <c>/health/ready</c> needs <c>Authorization: Bearer &lt;token&gt;</c> with this token (everything) or
    /// <see cref="ApiViewerToken"/> (reading only). At least 16 characters, no spaces. It is never logged.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>A bearer token that may only read (GET): a write with it is answered 403. Null (the default) for none.</summary>
    public string? ApiViewerToken { get; set; }

    /// <summary>
    /// Serves the HTTP API without tokens on an address beyond loopback (default false). Without it, a runtime whose
    /// <see cref="HttpHost"/> is not a loopback address and that has no <see cref="ApiToken"/> refuses to start:
    /// anyone who reaches such an API may start any task and cancel any run. Anonymous callers get no task stack traces.
    /// </summary>
    public bool AllowAnonymousApi { get; set; }

    /// <summary>
    /// Serves the HTTP API over HTTPS with this certificate (default null: plain HTTP): a PKCS#12 file (.pfx, .p12)
    /// holding its key, or a PEM certificate whose key is at <see cref="HttpsCertificateKeyPath"/>.
    /// <see cref="FanoutRuntime.BaseUrl"/> and run URLs then start with <c>https</c>.
    /// </summary>
    public string? HttpsCertificatePath { get; set; }

    /// <summary>The password of <see cref="HttpsCertificatePath"/>'s PKCS#12 file, or of an encrypted PEM key (default null: none).</summary>
    public string? HttpsCertificatePassword { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="HttpsCertificatePath"/> (default null: the certificate is PKCS#12).</summary>
    public string? HttpsCertificateKeyPath { get; set; }

    /// <summary>
    /// How many runs one client IP address may start through <c>POST /runs</c> per second, with bursts of as many
    /// (default 50; 0 turns the limit off). Starts beyond it are answered 429 with <c>Retry-After</c>. Behind a proxy
    /// every caller shares the proxy's address.
    /// </summary>
    public int StartRateLimitPerSecond { get; set; } = 50;

    // ---- end of the HTTP API's security ----

    /// <summary>
    /// Mutual TLS between cluster members (default null: off, plain TCP). With it, <see cref="Seeds"/> are
    /// <c>akka.ssl.tcp://...</c> and only members with a certificate from the same CA can join or send messages.
    /// </summary>
    public RemoteTlsOptions? RemoteTls { get; set; }

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
        // A payload at the limit plus the largest envelope around it must fit the 4 MiB frame between
        // nodes: 3 MiB + 1 MiB (WireLimits adds the envelope up).
        if (MaxPayloadBytes is < Protocol.WireLimits.MinPayloadBytes or > Protocol.WireLimits.MaxPayloadBytes)
            throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), MaxPayloadBytes,
                "MaxPayloadBytes must be between 1 KiB and 3 MiB (a payload and its message's envelope must fit the 4 MiB frame between nodes)");
        if (MaxActionsInFlightPerRun < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxActionsInFlightPerRun), MaxActionsInFlightPerRun, "MaxActionsInFlightPerRun must be 1 or more");
        if (ActionSlots < 1)
            throw new ArgumentOutOfRangeException(nameof(ActionSlots), ActionSlots, "ActionSlots must be 1 or more");
        if (MaxWaitingActions < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxWaitingActions), MaxWaitingActions,
                "MaxWaitingActions must be 0 or more (or null for ten times ActionSlots)");
        if (MaxActionsPerRun < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxActionsPerRun), MaxActionsPerRun, "MaxActionsPerRun must be 1 or more (the root is an action)");
        if (MaxRunsInFlight < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxRunsInFlight), MaxRunsInFlight, "MaxRunsInFlight must be 1 or more");
        if (SnapshotAfterEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(SnapshotAfterEntries), SnapshotAfterEntries, "SnapshotAfterEntries must be 1 or more");
        if (Journal == FanoutJournal.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException("Journal is PostgreSql but ConnectionString is empty", nameof(ConnectionString));
        if (!Enum.IsDefined(Journal))
            throw new ArgumentOutOfRangeException(nameof(Journal), Journal, "Journal must be Sqlite or PostgreSql");
        if (string.IsNullOrWhiteSpace(Hostname) || Hostname.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Hostname '{Hostname}' is not a host name or IP address", nameof(Hostname));
        if (PublicHostname is not null && (PublicHostname.Length == 0 || PublicHostname.Any(char.IsWhiteSpace)))
            throw new ArgumentException($"PublicHostname '{PublicHostname}' is not a host name or IP address", nameof(PublicHostname));
        if (HttpPublicUrl is { } publicUrl
            && (!publicUrl.IsAbsoluteUri || publicUrl.Scheme is not ("http" or "https") || publicUrl.Query.Length > 0 || publicUrl.Fragment.Length > 0))
            throw new ArgumentException(
                $"HttpPublicUrl '{publicUrl}' must be an absolute http or https URL without a query, such as https://fanout.example.com/",
                nameof(HttpPublicUrl));
        if (string.IsNullOrWhiteSpace(HttpHost) || !System.Net.IPAddress.TryParse(HttpHost, out _))
            throw new ArgumentException($"HttpHost '{HttpHost}' must be an IP address (127.0.0.1, 0.0.0.0, ...)", nameof(HttpHost));
        RemoteTls?.Validate();
        foreach (var seed in Seeds) ClusterAddresses.ParseSeed(seed, SystemName, nameof(Seeds), tls: RemoteTls is not null);
        foreach (var role in Roles)
            if (string.IsNullOrWhiteSpace(role) || !role.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw new ArgumentException($"Role '{role}' must be letters, digits, '-', '_' and '.'", nameof(Roles));
        if (JoinTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(JoinTimeout), JoinTimeout, "JoinTimeout must be positive");
        if (PlacementTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(PlacementTimeout), PlacementTimeout, "PlacementTimeout must be positive");
        if (DrainTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "DrainTimeout must be 0 or more");
        if (RunRetention <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RunRetention), RunRetention, "RunRetention must be positive (or null to keep runs forever)");
        if (LostAttemptRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(LostAttemptRetries), LostAttemptRetries, "LostAttemptRetries must be 0 or more");
        Http.Security.ApiSecuritySettings.Validate(this);
    }
}
