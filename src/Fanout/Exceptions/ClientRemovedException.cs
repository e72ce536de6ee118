namespace Fanout;

/// <summary>
/// Thrown by the calls of a <see cref="FanoutClient"/> and of its run handles once the client is no longer a
/// member of the cluster: the cluster downed it (the workers could not hear from it for several seconds, or it
/// was on the losing side of a split) or its actor system stopped. The runs it started go on in the cluster;
/// connect again with <see cref="FanoutClient.ConnectAsync(FanoutClientOptions, CancellationToken)"/> and reach
/// them by id with <see cref="FanoutClient.GetRun{TOut}"/>.
/// </summary>
public sealed class ClientRemovedException : FanoutException
{
    /// <summary>Creates the exception for the client member at <paramref name="address"/>.</summary>
    public ClientRemovedException(string address, string reason)
        : base($"The Fanout client {address} was removed from the cluster ({reason}); it can no longer reach runs. " +
               "The runs it started go on: connect again with FanoutClient.ConnectAsync and reach them by id with GetRun.")
    {
        Address = address;
        Reason = reason;
    }

    /// <summary>The client member's cluster address.</summary>
    public string Address { get; }

    /// <summary>Why the client is no longer a member, as Akka.NET's shutdown reason says it.</summary>
    public string Reason { get; }
}
