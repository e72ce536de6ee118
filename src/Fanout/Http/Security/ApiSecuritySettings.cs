using System.Net;

namespace Fanout.Http.Security;

/// <summary>
/// The checks of the HTTP API's security settings, run by <see cref="FanoutRuntimeOptions.Validate"/>: tokens that
/// can be sent in a header and are not trivially guessed, no open API beyond loopback unless asked for by name,
/// and an HTTPS certificate that loads.
/// </summary>
internal static class ApiSecuritySettings
{
    /// <summary>Shorter tokens are guessable; 16 characters is also what a human would not type by accident.</summary>
    public const int MinTokenLength = 16;

    public static void Validate(FanoutRuntimeOptions options)
    {
        CheckToken(options.ApiToken, nameof(FanoutRuntimeOptions.ApiToken));
        CheckToken(options.ApiViewerToken, nameof(FanoutRuntimeOptions.ApiViewerToken));
        if (options.ApiToken is not null && options.ApiToken == options.ApiViewerToken)
            throw new ArgumentException("ApiViewerToken must differ from ApiToken (a viewer would otherwise be an operator)",
                nameof(FanoutRuntimeOptions.ApiViewerToken));
        if (options.HttpPort is not null && !IsLoopback(options.HttpHost) && !HasTokens(options) && !options.AllowAnonymousApi)
            throw new ArgumentException(
                $"ApiToken is not set but the HTTP API listens beyond loopback (HttpHost '{options.HttpHost}'), where anyone who reaches it " +
                "could start any task and cancel any run: set ApiToken (and ApiViewerToken for read-only callers), " +
                "or set AllowAnonymousApi = true to serve it without tokens on purpose",
                nameof(FanoutRuntimeOptions.ApiToken));
        if (options.StartRateLimitPerSecond < 0)
            throw new ArgumentOutOfRangeException(nameof(FanoutRuntimeOptions.StartRateLimitPerSecond), options.StartRateLimitPerSecond,
                "StartRateLimitPerSecond must be 0 (no limit) or more");
        if (options.HttpsCertificatePath is null)
        {
            if (options.HttpsCertificateKeyPath is not null)
                throw new ArgumentException("HttpsCertificateKeyPath is set but HttpsCertificatePath is not", nameof(FanoutRuntimeOptions.HttpsCertificateKeyPath));
            if (options.HttpsCertificatePassword is not null)
                throw new ArgumentException("HttpsCertificatePassword is set but HttpsCertificatePath is not", nameof(FanoutRuntimeOptions.HttpsCertificatePassword));
            return;
        }
        HttpsCertificate.Load(options).Dispose();
    }

    public static bool HasTokens(FanoutRuntimeOptions options) => options.ApiToken is not null || options.ApiViewerToken is not null;

    /// <summary>127.0.0.0/8 and ::1; 0.0.0.0 and :: (every interface) are not.</summary>
    public static bool IsLoopback(string host) => IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);

    private static void CheckToken(string? token, string name)
    {
        if (token is null) return;
        if (token.Length < MinTokenLength)
            throw new ArgumentException($"{name} must be at least {MinTokenLength} characters (it is {token.Length})", name);
        // What a header value carries without quoting; a space would split "Bearer <token>".
        if (!token.All(c => c is > ' ' and <= '~'))
            throw new ArgumentException($"{name} must be printable ASCII without spaces", name);
    }
}
