using Fanout.Clustering;
using Microsoft.Extensions.Configuration;

namespace Fanout.Node;

/// <summary>The node's remoting TLS settings (FANOUT_TLS_*), read the way the lighthouse reads them.</summary>
internal static class NodeTlsSettings
{
    /// <summary>The TLS options, or null when no FANOUT_TLS_* variable is set.</summary>
    /// <exception cref="NodeSettingsException">A variable is missing, a file is bad or the password wrong; the message names the variable.</exception>
    public static RemoteTlsOptions? From(IConfiguration config)
    {
        try
        {
            if (RemoteTlsEnvironment.Read(key => config[key]) is not { } tls) return null;
            // Loaded here, not only when the runtime starts, so that a bad file names its variable and exits 2.
            RemoteTlsCertificates.Load(tls.CertificatePath, tls.Password, tls.CaPath, RemoteTlsEnvironment.Names).Dispose();
            return new RemoteTlsOptions { CertificatePath = tls.CertificatePath, CertificatePassword = tls.Password, CaCertificatePath = tls.CaPath };
        }
        catch (ArgumentException e)
        {
            throw new NodeSettingsException(e.Message, e);
        }
    }
}
