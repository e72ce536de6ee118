using Fanout.Clustering;
using Microsoft.Extensions.Logging;

namespace Fanout;

/// <summary>
/// Settings of an app's client member (<see cref="FanoutClient.ConnectAsync(FanoutClientOptions, CancellationToken)"/>):
/// which cluster to join and how this process is reached. Only <see cref="Seeds"/> is required.
/// </summary>
public sealed class FanoutClientOptions
{
    /// <summary>The cluster's seed nodes (lighthouses), as <c>akka.tcp://fanout@host:4053</c> (<c>akka.ssl.tcp://...</c> with <see cref="RemoteTls"/>). At least one.</summary>
    public IList<string> Seeds { get; } = new List<string>();

    /// <summary>The cluster's actor system name (default <c>fanout</c>); every member must use the same.</summary>
    public string SystemName { get; set; } = "fanout";

    /// <summary>
    /// The address this process listens on for cluster traffic (default <c>127.0.0.1</c>). The workers
    /// connect back to it, so it must be reachable from them: in a container, <c>0.0.0.0</c> with
    /// <see cref="PublicHostname"/> set.
    /// </summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The host name the workers reach this process by, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>The remoting port (default 0: a free port).</summary>
    public int Port { get; set; }

    /// <summary>How long to try the seeds before <see cref="FanoutClient.ConnectAsync(FanoutClientOptions, CancellationToken)"/> fails (default 30 s).</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The base address of a worker's HTTP API (say <c>http://fanout.internal:8080/</c>), to give run
    /// handles a <see cref="RunHandle{TOut}.Url"/>; null (the default) leaves it null.
    /// </summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary>The largest input of a run, in bytes of JSON (default 1 MiB); match the workers' setting.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Where the client logs (default: nowhere).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The least level of Akka.NET's own log messages that reach <see cref="LoggerFactory"/> (default Warning).</summary>
    public LogLevel AkkaLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Extra HOCON laid over Fanout's Akka.NET configuration.</summary>
    public string? AkkaConfig { get; set; }

    /// <summary>
    /// Mutual TLS with the cluster (default null: off). Must match the cluster: with it, <see cref="Seeds"/> are
    /// <c>akka.ssl.tcp://...</c> and this process needs a certificate from the cluster's CA.
    /// </summary>
    public RemoteTlsOptions? RemoteTls { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting with a bad value.</summary>
    public void Validate()
    {
        if (Seeds.Count == 0)
            throw new ArgumentException("Seeds must name at least one seed node (akka.tcp://fanout@host:port)", nameof(Seeds));
        if (string.IsNullOrWhiteSpace(SystemName) || !SystemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"SystemName '{SystemName}' must be letters, digits, '-' and '_'", nameof(SystemName));
        RemoteTls?.Validate();
        foreach (var seed in Seeds) ClusterAddresses.ParseSeed(seed, SystemName, nameof(Seeds), tls: RemoteTls is not null);
        if (string.IsNullOrWhiteSpace(Hostname) || Hostname.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Hostname '{Hostname}' is not a host name or IP address", nameof(Hostname));
        if (PublicHostname is not null && (PublicHostname.Length == 0 || PublicHostname.Any(char.IsWhiteSpace)))
            throw new ArgumentException($"PublicHostname '{PublicHostname}' is not a host name or IP address", nameof(PublicHostname));
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535");
        if (JoinTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(JoinTimeout), JoinTimeout, "JoinTimeout must be positive");
        if (MaxPayloadBytes is < Protocol.WireLimits.MinPayloadBytes or > Protocol.WireLimits.MaxPayloadBytes)
            throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), MaxPayloadBytes, "MaxPayloadBytes must be between 1 KiB and 3 MiB");
    }
}
