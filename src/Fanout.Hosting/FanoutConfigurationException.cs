namespace Fanout.Hosting;

/// <summary>
/// A Fanout setting read from configuration has a bad value, or a key under the Fanout section names no setting. The
/// message starts with the key (<c>Fanout:HttpPort: ...</c>); the host's start fails with it.
/// </summary>
public sealed class FanoutConfigurationException : FanoutException
{
    /// <summary>Creates the error for <paramref name="key"/>.</summary>
    /// <param name="key">The full configuration key, such as <c>Fanout:HttpPort</c>.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="innerException">The error behind it, if any.</param>
    public FanoutConfigurationException(string key, string problem, Exception? innerException = null)
        : base($"{key}: {problem}", innerException)
    {
        Key = key;
    }

    /// <summary>The full configuration key at fault, such as <c>Fanout:HttpPort</c>.</summary>
    public string Key { get; }
}
