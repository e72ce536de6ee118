using Akka.Actor;

namespace Fanout.Clustering;

/// <summary>Reads seed-node addresses, with errors that say what a good one looks like.</summary>
internal static class ClusterAddresses
{
    /// <summary>
    /// Parses <c>akka.tcp://system@host:port</c> (<c>akka.ssl.tcp://...</c> when <paramref name="tls"/>), naming
    /// <paramref name="setting"/> when it is malformed.
    /// </summary>
    /// <exception cref="ArgumentException">The address is malformed, names another actor system, or its scheme does
    /// not match this node's remoting TLS setting (such a seed would never answer).</exception>
    public static Address ParseSeed(string seed, string systemName, string setting, bool tls = false)
    {
        var scheme = RemoteTlsCertificates.Scheme(tls);
        Address address;
        try
        {
            address = Address.Parse(seed.Trim());
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new ArgumentException(
                $"{setting} entry '{seed}' is not an Akka.NET address (expected {scheme}://{systemName}@host:port)", setting, e);
        }
        if (address.Protocol == RemoteTlsCertificates.Scheme(!tls))
            throw new ArgumentException(
                $"{setting} entry '{seed}' is {address.Protocol}, but this node has remoting TLS {(tls ? "on" : "off")}: " +
                $"it must be {scheme}://{systemName}@host:port (every member of a cluster has TLS on, or none)", setting);
        if (address.Protocol != scheme || string.IsNullOrEmpty(address.Host) || address.Port is null or < 1 or > 65535)
            throw new ArgumentException($"{setting} entry '{seed}' must be {scheme}://{systemName}@host:port", setting);
        if (address.System != systemName)
            throw new ArgumentException(
                $"{setting} entry '{seed}' names actor system '{address.System}', but this node's is '{systemName}': they would never join",
                setting);
        return address;
    }
}
