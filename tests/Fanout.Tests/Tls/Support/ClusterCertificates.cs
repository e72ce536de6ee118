using System.Diagnostics;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.Tls.Support;

/// <summary>A CA and member certificates made by deploy/make-certs.sh (the script operators use) in a temp folder.</summary>
public sealed class ClusterCertificates : IDisposable
{
    private readonly TempDirectory _folder = new();

    private ClusterCertificates() { }

    public string Folder => _folder.Path;
    public string Ca => _folder.File("ca.crt");
    public string PasswordFile => _folder.File("pfx-password");
    public string Password => File.ReadAllText(PasswordFile).Trim();
    public string Pfx(string name) => _folder.File($"{name}.pfx");

    /// <summary>Runs the script for <paramref name="names"/> (a new CA, since the folder is new).</summary>
    public static async Task<ClusterCertificates> MakeAsync(params string[] names)
    {
        var certificates = new ClusterCertificates();
        var script = Path.Combine(RepoPaths.Root, "deploy", "make-certs.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--out", certificates.Folder }.Concat(names)) info.ArgumentList.Add(arg);
        info.Environment.Remove("FANOUT_TLS_CERTIFICATE_PASSWORD");
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"make-certs.sh failed ({process.ExitCode}): {await stderr}");
        return certificates;
    }

    /// <summary>A member's FANOUT_TLS_* variables, as the node and the lighthouse read them.</summary>
    public IReadOnlyDictionary<string, string> Environment(string name) => new Dictionary<string, string>
    {
        ["FANOUT_TLS_CERTIFICATE"] = Pfx(name),
        ["FANOUT_TLS_CERTIFICATE_PASSWORD_FILE"] = PasswordFile,
        ["FANOUT_TLS_CA"] = Ca,
    };

    /// <summary>The same as options, for an in-process runtime or client.</summary>
    public RemoteTlsOptions Options(string name) =>
        new() { CertificatePath = Pfx(name), CertificatePassword = Password, CaCertificatePath = Ca };

    public void Dispose() => _folder.Dispose();
}
