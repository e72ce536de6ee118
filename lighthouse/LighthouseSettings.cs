using System.Globalization;
using Akka.Actor;
using Fanout.Clustering;

namespace Fanout.Lighthouse;

/// <summary>
/// What a lighthouse is told, from appsettings.json overlaid by environment variables of the same
/// names (the names Petabridge's Lighthouse uses, so existing deployments read the same), plus
/// CLUSTER_JOIN_TIMEOUT: how many seconds it tries to join its seeds before giving up (default 30), and
/// remoting TLS as Fanout's nodes read it (FANOUT_TLS_CERTIFICATE, FANOUT_TLS_CERTIFICATE_PASSWORD[_FILE], FANOUT_TLS_CA).
/// </summary>
internal sealed record LighthouseSettings(string ActorSystem, string Ip, int Port, IReadOnlyList<Address> Seeds, int JoinTimeoutSeconds,
    RemoteTlsCertificates? Tls)
{
    /// <summary>This node's own address, as the other members see it.</summary>
    public Address Self => new(RemoteTlsCertificates.Scheme(Tls is not null), ActorSystem, Ip, Port);

    /// <summary>Reads and checks the settings.</summary>
    /// <exception cref="LighthouseSettingsException">A setting is missing or malformed; the message names it.</exception>
    public static LighthouseSettings From(Func<string, string?> config)
    {
        var system = Required(config, "ACTORSYSTEM");
        if (!system.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new LighthouseSettingsException($"ACTORSYSTEM '{system}' must be letters, digits, '-' and '_'");

        var ip = Required(config, "CLUSTER_IP");
        if (ip.Any(char.IsWhiteSpace) || ip.Contains('/') || ip.Contains(':') && !ip.StartsWith('['))
            throw new LighthouseSettingsException($"CLUSTER_IP '{ip}' is not a host name or IP address");

        var portText = Required(config, "CLUSTER_PORT");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new LighthouseSettingsException($"CLUSTER_PORT '{portText}' must be a port number from 1 to 65535");

        var tls = ReadTls(config);
        var seeds = new List<Address>();
        foreach (var entry in (config("CLUSTER_SEEDS") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            seeds.Add(ParseSeed(entry, system, RemoteTlsCertificates.Scheme(tls is not null)));

        var timeoutText = config("CLUSTER_JOIN_TIMEOUT") is { Length: > 0 } t ? t.Trim() : "30";
        if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var joinTimeout) || joinTimeout < 1)
            throw new LighthouseSettingsException($"CLUSTER_JOIN_TIMEOUT '{timeoutText}' must be a whole number of seconds, 1 or more");

        var settings = new LighthouseSettings(system, ip, port, seeds, joinTimeout, tls);
        // A lighthouse missing from its own list is put first: the first seed is the one that may start a
        // new cluster by joining itself, which a lighthouse started alone must be able to do.
        if (!seeds.Contains(settings.Self)) seeds.Insert(0, settings.Self);
        return settings;
    }

    // Loaded and checked now, so that a bad file exits 2 naming its variable; kept for the actor system's transport.
    private static RemoteTlsCertificates? ReadTls(Func<string, string?> config)
    {
        try
        {
            return RemoteTlsEnvironment.Read(config) is { } tls
                ? RemoteTlsCertificates.Load(tls.CertificatePath, tls.Password, tls.CaPath, RemoteTlsEnvironment.Names)
                : null;
        }
        catch (ArgumentException e)
        {
            throw new LighthouseSettingsException(e.Message, e);
        }
    }

    private static Address ParseSeed(string entry, string system, string scheme)
    {
        Address address;
        try
        {
            address = Address.Parse(entry);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new LighthouseSettingsException(
                $"CLUSTER_SEEDS entry '{entry}' is not an Akka.NET address (expected {scheme}://{system}@host:port)", e);
        }
        if (address.Protocol != scheme && address.Protocol is "akka.tcp" or "akka.ssl.tcp")
            throw new LighthouseSettingsException(
                $"CLUSTER_SEEDS entry '{entry}' is {address.Protocol}, but this lighthouse has remoting TLS {(scheme == "akka.tcp" ? "off" : "on")} " +
                $"({RemoteTlsEnvironment.Certificate}): it must be {scheme}://{system}@host:port (every member has TLS on, or none)");
        if (address.Protocol != scheme || address.Host is null || address.Port is null or < 1 or > 65535)
            throw new LighthouseSettingsException(
                $"CLUSTER_SEEDS entry '{entry}' must be {scheme}://{system}@host:port");
        if (address.System != system)
            throw new LighthouseSettingsException(
                $"CLUSTER_SEEDS entry '{entry}' names actor system '{address.System}', but ACTORSYSTEM is '{system}': they would never join");
        return address;
    }

    private static string Required(Func<string, string?> config, string key) =>
        config(key) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new LighthouseSettingsException($"{key} is not set (in appsettings.json or the environment)");
}

/// <summary>A lighthouse setting is missing or malformed.</summary>
internal sealed class LighthouseSettingsException(string message, Exception? inner = null) : Exception(message, inner);
