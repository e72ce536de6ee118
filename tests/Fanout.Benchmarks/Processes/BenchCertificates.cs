using System.Diagnostics;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// A CA and one member certificate made by deploy/make-certs.sh, shared by every member of the TLS cluster
/// scenario (the handshake and encryption cost the same whichever certificate each member holds).
/// </summary>
internal sealed record BenchCertificates(string Pfx, string PasswordFile, string Ca)
{
    public static async Task<BenchCertificates> MakeAsync(string folder, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { ProgramPaths.MakeCerts, "--out", folder, "member" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start make-certs.sh");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"make-certs.sh exited {process.ExitCode}: {await stderr}");
        return new BenchCertificates(Path.Combine(folder, "member.pfx"), Path.Combine(folder, "pfx-password"), Path.Combine(folder, "ca.crt"));
    }

    /// <summary>The FANOUT_TLS_* variables of a lighthouse or worker.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["FANOUT_TLS_CERTIFICATE"] = Pfx, ["FANOUT_TLS_CERTIFICATE_PASSWORD_FILE"] = PasswordFile, ["FANOUT_TLS_CA"] = Ca,
    };

    /// <summary>The same for this process's client member.</summary>
    public RemoteTlsOptions Options => new()
    {
        CertificatePath = Pfx, CertificatePassword = File.ReadAllText(PasswordFile).Trim(), CaCertificatePath = Ca,
    };
}
