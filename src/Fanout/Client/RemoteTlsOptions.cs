using Fanout.Clustering;

namespace Fanout;

/// <summary>
/// Mutual TLS between cluster members (Akka.Remote's DotNetty transport): this member presents
/// <see cref="CertificatePath"/> and accepts a peer only if the peer's certificate chains to the CA in
/// <see cref="CaCertificatePath"/>; the machine's trust store is not consulted and host names are not checked.
/// With it, addresses are <c>akka.ssl.tcp://system@host:port</c>. Every member of a cluster (lighthouses,
/// workers, app clients) must have it on, with certificates from the same CA (<c>deploy/make-certs.sh</c>
/// makes them).
/// </summary>
public sealed class RemoteTlsOptions
{
    /// <summary>This member's certificate with its private key, as a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>). Required.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; null for a file without one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The cluster's CA certificate as a PEM file: the only root a peer's certificate may chain to. Required.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Loads both files to check them, so that a bad one fails at start with a message naming it.</summary>
    /// <exception cref="ArgumentException">
    /// A file is missing or unreadable, the certificate is not PKCS#12, the password is wrong, the certificate has
    /// no private key or does not chain to the CA; the message names the setting (<c>RemoteTls.CertificatePath</c>, ...).
    /// </exception>
    public void Validate() => Load().Dispose();

    internal RemoteTlsCertificates Load() =>
        RemoteTlsCertificates.Load(CertificatePath, CertificatePassword, CaCertificatePath, Names);

    private static readonly RemoteTlsSettingNames Names = new(
        $"RemoteTls.{nameof(CertificatePath)}", $"RemoteTls.{nameof(CertificatePassword)}", $"RemoteTls.{nameof(CaCertificatePath)}");
}
