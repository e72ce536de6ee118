namespace Fanout.TestKit;

/// <summary>How a <see cref="FanoutTestRuntime"/> starts. The defaults suit a unit test: in memory, no ports, virtual time.</summary>
public sealed class FanoutTestOptions
{
    /// <summary>Whether the <see cref="TestClock"/> skips ahead by itself when the runtime waits only on time (default true).</summary>
    public bool AutoAdvance { get; set; } = true;

    /// <summary>
    /// How long (real time) the runtime must be quiet, with no task body busy, before the clock skips ahead by itself
    /// (default 20 ms). It covers what happens between bodies (a report reaching its run, a journal write); raise it on
    /// a loaded machine if a parent's timeout fires while its children are still being dispatched.
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The virtual time the clock starts at (default 2030-01-01 UTC).</summary>
    public DateTimeOffset ClockStart { get; set; } = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// How long (real time) <see cref="FanoutTestRuntime.RunToEndAsync"/> waits for a run before it fails the test with
    /// what the run did so far (default 1 minute): a workflow that never ends fails its test instead of hanging it.
    /// </summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether cluster traffic goes over a real TCP port on 127.0.0.1 (default false: Akka's in-process test
    /// transport, no socket). A one-node test runtime never needs the network; this is for comparing the two.
    /// </summary>
    public bool UseLoopbackRemoting { get; set; }

    /// <summary>
    /// A port for the HTTP API and run pages (0 for any free one); null, the default, for no HTTP API. The API needs the
    /// Fanout.Http package in the test project; without it the runtime starts without one and logs a warning.
    /// </summary>
    public int? HttpPort { get; set; }

    /// <summary>
    /// Anything else to set on the runtime's options (slots, limits, logging, task assemblies). The journal, the
    /// remoting settings, the clock and the stubs are the test kit's and are set after this runs.
    /// </summary>
    public Action<FanoutRuntimeOptions>? ConfigureRuntime { get; set; }

    /// <summary>Checks the options; throws <see cref="ArgumentOutOfRangeException"/> naming the property at fault.</summary>
    public void Validate()
    {
        if (QuietPeriod <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(QuietPeriod), QuietPeriod, "QuietPeriod must be positive");
        if (RunTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RunTimeout), RunTimeout, "RunTimeout must be positive");
        if (HttpPort is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(HttpPort), HttpPort, "HttpPort must be between 0 and 65535, or null for no HTTP API");
    }
}
