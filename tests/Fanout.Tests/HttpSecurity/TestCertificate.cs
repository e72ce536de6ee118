using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 and localhost, made for one spec, written as PKCS#12 (with a
/// password) and as PEM (certificate, key). Being self-signed, its PEM certificate is also the CA a client trusts.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    public const string Password = "test-pfx-password";

    private TestCertificate(X509Certificate2 certificate, string folder)
    {
        Certificate = certificate;
        PfxPath = Path.Combine(folder, "server.pfx");
        CertPemPath = Path.Combine(folder, "server.crt");
        KeyPemPath = Path.Combine(folder, "server.key");
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(CertPemPath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPemPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }

    public string PfxPath { get; }

    public string CertPemPath { get; }

    public string KeyPemPath { get; }

    public static TestCertificate Create(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fanout-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new TestCertificate(certificate, folder);
    }

    /// <summary>A client that trusts exactly this certificate.</summary>
    public HttpClient TrustingClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Certificate.Thumbprint,
    }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => Certificate.Dispose();
}
