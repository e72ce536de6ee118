using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fanout.Cli.Http;

/// <summary>
/// What the CLI proves and trusts: the bearer token (<c>--token</c>, else <c>FANOUT_TOKEN</c>) and a private CA for a
/// node served over HTTPS with a certificate the system does not trust (<c>--ca-cert</c>, else <c>FANOUT_CA_CERT</c>).
/// </summary>
internal sealed class NodeCredentials
{
    public const string TokenVariable = "FANOUT_TOKEN";
    public const string CaCertVariable = "FANOUT_CA_CERT";

    private NodeCredentials(string? token, X509Certificate2Collection? trustedRoots)
    {
        Token = token;
        TrustedRoots = trustedRoots;
    }

    /// <summary>The bearer token sent with every request; null sends none.</summary>
    public string? Token { get; }

    /// <summary>CA certificates a node's certificate may chain to instead of the system's; null trusts the system's only.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <exception cref="UsageException">The CA file cannot be read or holds no PEM certificate (the message names where it came from).</exception>
    public static NodeCredentials Resolve(string? tokenOption, string? caCertOption, Func<string, string?> environment)
    {
        var token = tokenOption ?? (environment(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        var (caPath, source) = caCertOption is not null ? (caCertOption, "--ca-cert")
            : environment(CaCertVariable) is { Length: > 0 } fromVariable ? (fromVariable, CaCertVariable) : (null, null);
        return new NodeCredentials(token?.Trim(), caPath is null ? null : LoadRoots(caPath, source!));
    }

    private static X509Certificate2Collection LoadRoots(string path, string source)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"{source} '{path}' cannot be read as PEM certificates: {e.Message}");
        }
        return roots.Count > 0 ? roots : throw new UsageException($"{source} '{path}' holds no PEM certificate");
    }

    /// <summary>A certificate check that accepts a chain to <see cref="TrustedRoots"/> (the name must still match).</summary>
    public bool ValidateServer(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (TrustedRoots is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(TrustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
