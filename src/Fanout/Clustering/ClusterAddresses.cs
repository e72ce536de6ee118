using Akka.Actor;

namespace Fanout.Clustering;

/// <summary>Reads seed-node addresses, with errors that say what a good one looks like.</summary>
internal static class ClusterAddresses
{
    /// <summary>Parses <c>akka.tcp://system@host:port</c>, naming <paramref name="setting"/> when it is malformed.</summary>
    /// <exception cref="ArgumentException">The address is malformed or names another actor system.</exception>
    public static Address ParseSeed(string seed, string systemName, string setting)
    {
        Address address;
        try
        {
            address = Address.Parse(seed.Trim());
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new ArgumentException(
                $"{setting} entry '{seed}' is not an Akka.NET address (expected akka.tcp://{systemName}@host:port)", setting, e);
        }
        if (address.Protocol != "akka.tcp" || string.IsNullOrEmpty(address.Host) || address.Port is null or < 1 or > 65535)
            throw new ArgumentException($"{setting} entry '{seed}' must be akka.tcp://{systemName}@host:port", setting);
        if (address.System != systemName)
            throw new ArgumentException(
                $"{setting} entry '{seed}' names actor system '{address.System}', but this node's is '{systemName}': they would never join",
                setting);
        return address;
    }
}
