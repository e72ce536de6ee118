namespace Fanout.Clustering;

/// <summary>
/// Remoting TLS as a worker node and a lighthouse read it from their settings (environment variables or
/// appsettings.json): FANOUT_TLS_CERTIFICATE, FANOUT_TLS_CERTIFICATE_PASSWORD or ..._FILE, FANOUT_TLS_CA.
/// Compiled into the lighthouse too (linked source), so both read the same names the same way.
/// </summary>
internal static class RemoteTlsEnvironment
{
    public const string Certificate = "FANOUT_TLS_CERTIFICATE";
    public const string Password = "FANOUT_TLS_CERTIFICATE_PASSWORD";
    public const string PasswordFile = "FANOUT_TLS_CERTIFICATE_PASSWORD_FILE";
    public const string Ca = "FANOUT_TLS_CA";

    /// <summary>The names checks report for settings read from here.</summary>
    public static readonly RemoteTlsSettingNames Names = new(Certificate, $"{Password} (or {PasswordFile})", Ca);

    /// <summary>The three settings, or null when none is set (TLS off).</summary>
    /// <exception cref="ArgumentException">Only some are set, or the password is given twice or its file cannot be read.</exception>
    public static (string CertificatePath, string? Password, string CaPath)? Read(Func<string, string?> setting)
    {
        string? Value(string key) => setting(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var (certificate, ca) = (Value(Certificate), Value(Ca));
        var (password, passwordFile) = (setting(Password) is { Length: > 0 } p ? p : null, Value(PasswordFile));
        if (certificate is null && ca is null && password is null && passwordFile is null) return null;
        if (certificate is null)
            throw new ArgumentException($"{Certificate} is not set, but {(ca is null ? "a TLS password" : Ca)} is: remoting TLS needs this member's certificate (.pfx)", Certificate);
        if (ca is null)
            throw new ArgumentException($"{Ca} is not set, but {Certificate} is: remoting TLS needs the cluster's CA certificate (PEM) to check peers against", Ca);
        if (password is not null && passwordFile is not null)
            throw new ArgumentException($"{Password} and {PasswordFile} are both set: set one", Password);
        if (passwordFile is not null)
        {
            try
            {
                password = File.ReadAllText(passwordFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"{PasswordFile} '{passwordFile}' cannot be read: {e.Message}", PasswordFile, e);
            }
        }
        return (certificate, password, ca);
    }
}
