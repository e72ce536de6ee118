using Microsoft.Extensions.Logging;

namespace Fanout;

/// <summary>Placeholder, replaced below.</summary>
public sealed class FanoutClientOptions
{
    /// <summary>x</summary>
    public LogLevel AkkaLogLevel { get; set; } = LogLevel.Warning;
    /// <summary>x</summary>
    public string Hostname { get; set; } = "127.0.0.1";
    /// <summary>x</summary>
    public string? PublicHostname { get; set; }
    /// <summary>x</summary>
    public int Port { get; set; }
    /// <summary>x</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>x</summary>
    public string? AkkaConfig { get; set; }
}
