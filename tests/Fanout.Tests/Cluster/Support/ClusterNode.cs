using Fanout.Tests.Support;

namespace Fanout.Tests.Cluster.Support;

/// <summary>One worker process of a <see cref="LoopbackCluster"/>, with the address and HTTP API it printed when up.</summary>
public sealed class ClusterNode(string name, HostProcess process) : IDisposable
{
    public string Name { get; } = name;
    public HostProcess Process { get; } = process;
    public string Address { get; private set; } = "";
    public Uri? HttpApi { get; private set; }

    /// <summary>Waits for "fanout node up: &lt;address&gt; roles [...] http &lt;url&gt;".</summary>
    public async Task WaitUpAsync(TimeSpan within)
    {
        var line = await Process.WaitForLineAsync("fanout node up:", within);
        var parts = line.Split(' ');
        Address = parts[3];
        HttpApi = parts[^1] == "off" ? null : new Uri(parts[^1]);
    }

    public void Dispose() => Process.Dispose();
}
