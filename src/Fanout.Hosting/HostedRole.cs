namespace Fanout.Hosting;

/// <summary>What an <c>AddFanout...</c> call makes of the app, for the checks that differ between them.</summary>
internal enum HostedRole
{
    Client,
    Worker,
    Embedded,
}
