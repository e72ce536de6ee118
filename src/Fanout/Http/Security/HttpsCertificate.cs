using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fanout.Http.Security;

/// <summary>
/// Loads the HTTP API's certificate (<see cref="FanoutRuntimeOptions.HttpsCertificatePath"/>): PKCS#12 with its key
/// inside, or PEM with the key beside it. Every way it can fail becomes an <see cref="ArgumentException"/> naming the
/// setting, so a node says which file is wrong instead of failing in Kestrel's first handshake.
/// </summary>
internal static class HttpsCertificate
{
    public static X509Certificate2 Load(FanoutRuntimeOptions options)
    {
        var path = options.HttpsCertificatePath!;
        const string setting = nameof(FanoutRuntimeOptions.HttpsCertificatePath);
        if (!File.Exists(path))
            throw new ArgumentException($"HttpsCertificatePath '{path}' does not exist", setting);
        X509Certificate2 certificate;
        try
        {
            certificate = options.HttpsCertificateKeyPath is { } keyPath
                ? LoadPem(path, keyPath, options.HttpsCertificatePassword)
                : X509CertificateLoader.LoadPkcs12FromFile(path, options.HttpsCertificatePassword);
        }
        catch (CryptographicException e)
        {
            var what = options.HttpsCertificateKeyPath is null
                ? "is not a PKCS#12 file (.pfx) this password opens (HttpsCertificatePassword)"
                : "and HttpsCertificateKeyPath are not a PEM certificate and its key (with HttpsCertificatePassword if the key is encrypted)";
            throw new ArgumentException($"HttpsCertificatePath '{path}' {what}: {e.Message}", setting, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"HttpsCertificatePath '{path}' cannot be read: {e.Message}", setting, e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"HttpsCertificatePath '{path}' holds no private key, which HTTPS needs", setting);
        }
        return certificate;
    }

    private static X509Certificate2 LoadPem(string path, string keyPath, string? password)
    {
        if (!File.Exists(keyPath))
            throw new ArgumentException($"HttpsCertificateKeyPath '{keyPath}' does not exist", nameof(FanoutRuntimeOptions.HttpsCertificateKeyPath));
        return password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
    }
}
