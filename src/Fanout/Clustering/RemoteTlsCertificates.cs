using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Fanout.Clustering;

/// <summary>The names a TLS setting goes by where it was read: options' properties, or environment variables.</summary>
internal sealed record RemoteTlsSettingNames(string Certificate, string Password, string Ca);

/// <summary>
/// A member's remoting certificate and the cluster's CA, loaded and checked at start, and the DotNetty TLS
/// setup made of them: mutual authentication, peers trusted only when their certificate chains to that CA.
/// Compiled into the lighthouse too (linked source), so that every member checks peers the same way.
/// </summary>
internal sealed class RemoteTlsCertificates : IDisposable
{
    /// <summary>The address scheme of Akka.Remote's DotNetty transport with TLS on, and without.</summary>
    public static string Scheme(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>
    /// The transport's TLS switches in HOCON; the certificate and the validator come from <see cref="Setup"/>, which
    /// takes precedence over the HOCON <c>ssl.certificate</c> keys (left unset). Hostname validation is off: pods'
    /// and containers' addresses change with every restart, so a peer is known by its CA, not by its name.
    /// </summary>
    public const string TransportHocon = """
        enable-ssl = on
        ssl {
          require-mutual-authentication = on
          validate-certificate-hostname = off
          suppress-validation = off
        }
        """;

    private RemoteTlsCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This member's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster's CA certificate(s): the only roots a peer's certificate may chain to.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>Loads and checks the files.</summary>
    /// <exception cref="ArgumentException">A file is missing, unreadable, of the wrong kind, the password is wrong, the
    /// certificate has no private key or does not chain to the CA; the message and parameter name the setting.</exception>
    public static RemoteTlsCertificates Load(string? certificatePath, string? password, string? caPath, RemoteTlsSettingNames names)
    {
        var authorities = LoadAuthorities(caPath, names.Ca);
        var certificate = LoadCertificate(certificatePath, password, names);
        var tls = new RemoteTlsCertificates(certificate, authorities);
        if (tls.ChainProblem(certificate, extra: null) is { } problem)
        {
            var message = $"{names.Certificate} '{certificatePath}' ({certificate.Subject}, issued by {certificate.Issuer}) does not chain to " +
                          $"the CA in {names.Ca} '{caPath}': {problem}; no peer would accept it";
            tls.Dispose();
            throw new ArgumentException(message, names.Certificate);
        }
        return tls;
    }

    /// <summary>Akka.Remote's TLS setup: this certificate, mutual authentication, peers checked by <see cref="Accepts"/>.</summary>
    public DotNettySslSetup Setup() =>
        new(Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, Accepts);

    /// <summary>
    /// Whether a peer's certificate chains to the cluster's CA (and no other root: the machine's store is not
    /// consulted). The peer's own chain only lends intermediates. A refusal is logged with the reason, since the
    /// transport itself only says the handshake failed.
    /// </summary>
    public bool Accepts(X509Certificate2? peer, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (peer is null)
        {
            log.Warning("Remoting TLS: refused {0}: it presented no certificate ({1})", remotePeer, errors);
            return false;
        }
        var extra = chain?.ChainElements.Skip(1).Select(element => element.Certificate);
        if (ChainProblem(peer, extra) is not { } problem) return true;
        log.Warning("Remoting TLS: refused {0}: its certificate {1} (issued by {2}) does not chain to the cluster's CA: {3}",
            remotePeer, peer.Subject, peer.Issuer, problem);
        return false;
    }

    // Null when the certificate chains to one of the authorities.
    private string? ChainProblem(X509Certificate2 certificate, IEnumerable<X509Certificate2>? extra)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        // A private cluster CA publishes no revocation lists; a compromised node's certificate is dealt with by
        // replacing the CA (README: "Securing remoting (TLS)").
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var intermediate in extra ?? []) chain.ChainPolicy.ExtraStore.Add(intermediate);
        if (chain.Build(certificate)) return null;
        var statuses = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct();
        return string.Join(", ", statuses.DefaultIfEmpty(X509ChainStatusFlags.PartialChain));
    }

    private static X509Certificate2Collection LoadAuthorities(string? caPath, string setting)
    {
        if (string.IsNullOrWhiteSpace(caPath))
            throw new ArgumentException($"{setting} is not set: remoting TLS needs the cluster's CA certificate (PEM) to check peers against", setting);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting} '{caPath}' cannot be read: {e.Message}", setting, e);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{setting} '{caPath}' is not a PEM certificate: {e.Message}", setting, e);
        }
        if (authorities.Count == 0)
            throw new ArgumentException($"{setting} '{caPath}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", setting);
        return authorities;
    }

    private static X509Certificate2 LoadCertificate(string? path, string? password, RemoteTlsSettingNames names)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"{names.Certificate} is not set: remoting TLS needs this member's certificate (PKCS#12, .pfx)", names.Certificate);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{names.Certificate} '{path}' cannot be read: {e.Message}", names.Certificate, e);
        }
        if (X509Certificate2.GetCertContentType(bytes) != X509ContentType.Pkcs12)
            throw new ArgumentException($"{names.Certificate} '{path}' is not a PKCS#12 (.pfx) file", names.Certificate);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException(
                $"{names.Certificate} '{path}' cannot be opened with {names.Password} ({(password is null ? "not set" : "wrong password?")}): {e.Message}",
                names.Password, e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"{names.Certificate} '{path}' holds no private key: a member must prove it owns its certificate", names.Certificate);
        }
        return certificate;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in Authorities) authority.Dispose();
    }
}
