using System.Diagnostics;

namespace Fanout.Tests.Tls.Support;

/// <summary>
/// Good certificates for a member ("member") and the files an operator gets wrong: a certificate from another CA,
/// and the member's certificate without its private key. Made once for a spec class.
/// </summary>
public sealed class BadCertificates : IAsyncLifetime
{
    public ClusterCertificates Cluster { get; private set; } = null!;
    public ClusterCertificates Other { get; private set; } = null!;

    /// <summary>The member's certificate alone in a PKCS#12 file, with the cluster's password.</summary>
    public string WithoutKey => Path.Combine(Cluster.Folder, "no-key.pfx");

    public async Task InitializeAsync()
    {
        Cluster = await ClusterCertificates.MakeAsync("member");
        Other = await ClusterCertificates.MakeAsync("stranger");
        var pem = Path.Combine(Cluster.Folder, "member.crt");
        await OpenSslAsync("pkcs12", "-in", Cluster.Pfx("member"), "-nokeys", "-passin", $"file:{Cluster.PasswordFile}", "-out", pem);
        await OpenSslAsync("pkcs12", "-export", "-nokeys", "-in", pem, "-passout", $"file:{Cluster.PasswordFile}", "-out", WithoutKey);
    }

    private static async Task OpenSslAsync(params string[] args)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {await stderr}");
    }

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        Other.Dispose();
        return Task.CompletedTask;
    }
}
