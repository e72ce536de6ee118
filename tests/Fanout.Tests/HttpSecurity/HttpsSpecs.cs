using System.Net;
using System.Security.Authentication;
using Fanout.Tests.Cli;
using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>HTTPS from a certificate in the settings: the API, run URLs and the CLI all speak it; a bad certificate stops the start.</summary>
public sealed class HttpsSpecs : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly TestCertificate _certificate;

    public HttpsSpecs() => _certificate = TestCertificate.Create(_folder.Path);

    [Fact]
    public async Task A_pfx_certificate_serves_the_API_over_https_and_run_urls_say_so()
    {
        await using var node = await SecuredRuntime.StartAsync(options =>
        {
            options.HttpsCertificatePath = _certificate.PfxPath;
            options.HttpsCertificatePassword = TestCertificate.Password;
        });
        Assert.Equal("https", node.Runtime.BaseUrl!.Scheme);
        var run = await node.Runtime.RunAsync(PatternTasks.Square, 5);
        Assert.Equal("https", run.Url!.Scheme);
        await run.WaitAsync(Deadlines.EmbeddedRun, "the square run to end");

        using var trusting = _certificate.TrustingClient();
        using var summary = await trusting.GetAsync(run.Url);
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        Assert.Contains("\"succeeded\"", await summary.Content.ReadAsStringAsync());

        // A client that does not trust the certificate does not get through.
        using var untrusting = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(run.Url));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(run.Url) { Scheme = "http" }.Uri));
    }

    [Fact]
    public async Task A_pem_certificate_and_key_serve_https_and_the_CLI_trusts_them_with_ca_cert()
    {
        var square = PatternTasks.Square.Name; // defines the task before the node lists its tasks
        await using var node = await SecuredRuntime.StartAsync(options =>
        {
            options.HttpsCertificatePath = _certificate.CertPemPath;
            options.HttpsCertificateKeyPath = _certificate.KeyPemPath;
        });
        var url = node.Runtime.BaseUrl!.ToString();

        var trusted = await CliInvocation.RunAsync(["--node", url, "--ca-cert", _certificate.CertPemPath, "tasks"], new Dictionary<string, string>());
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Contains(square, trusted.Out);

        var fromEnvironment = await CliInvocation.RunAsync(["--node", url, "tasks"],
            new Dictionary<string, string> { ["FANOUT_CA_CERT"] = _certificate.CertPemPath });
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());

        var untrusted = await CliInvocation.RunAsync(["--node", url, "tasks"], new Dictionary<string, string>());
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("has a certificate this machine does not trust", untrusted.Err);
        Assert.Contains("pass --ca-cert or set FANOUT_CA_CERT", untrusted.Err);

        var missingCa = await CliInvocation.RunAsync(["--node", url, "--ca-cert", _folder.File("nope.pem"), "tasks"], new Dictionary<string, string>());
        Assert.Equal(2, missingCa.ExitCode);
        Assert.Contains($"--ca-cert '{_folder.File("nope.pem")}' cannot be read as PEM certificates", missingCa.Err);
    }

    [Fact]
    public async Task A_missing_certificate_or_a_wrong_password_stops_the_start_naming_the_setting()
    {
        var missing = _folder.File("missing.pfx");
        var noFile = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(o => o.HttpsCertificatePath = missing));
        Assert.Equal("HttpsCertificatePath", noFile.ParamName);
        Assert.Contains($"HttpsCertificatePath '{missing}' does not exist", noFile.Message);

        var wrongPassword = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(o =>
        {
            o.HttpsCertificatePath = _certificate.PfxPath;
            o.HttpsCertificatePassword = "not-the-password";
        }));
        Assert.Equal("HttpsCertificatePath", wrongPassword.ParamName);
        Assert.Contains("is not a PKCS#12 file (.pfx) this password opens (HttpsCertificatePassword)", wrongPassword.Message);

        var notACertificate = _folder.File("garbage.pfx");
        await File.WriteAllTextAsync(notACertificate, "not a certificate");
        var garbage = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(o => o.HttpsCertificatePath = notACertificate));
        Assert.Contains($"HttpsCertificatePath '{notACertificate}' is not a PKCS#12 file", garbage.Message);

        var certificateOnly = await Assert.ThrowsAsync<ArgumentException>(() => StartAsync(o =>
        {
            o.HttpsCertificatePath = _certificate.CertPemPath;
            o.HttpsCertificateKeyPath = _folder.File("no.key");
        }));
        Assert.Equal("HttpsCertificateKeyPath", certificateOnly.ParamName);
    }

    private Task<FanoutRuntime> StartAsync(Action<FanoutRuntimeOptions> configure)
    {
        var options = RuntimeFixture.TestOptions(_folder.File("fanout.db"));
        configure(options);
        return FanoutRuntime.StartEmbeddedAsync(options);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _folder.Dispose();
    }
}
