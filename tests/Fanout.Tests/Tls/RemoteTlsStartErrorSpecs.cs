using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Fanout.Tests.Tls.Support;

namespace Fanout.Tests.Tls;

/// <summary>
/// A worker node and a lighthouse with bad remoting TLS settings exit 2 at start with a message naming the
/// variable, before they listen; the runtime's and client's options name the option.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RemoteTlsStartErrorSpecs(BadCertificates certificates) : IClassFixture<BadCertificates>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var program in new[] { "node", "lighthouse" })
        {
            data.Add(program, "missing certificate", "FANOUT_TLS_CERTIFICATE '/nonexistent/member.pfx' cannot be read");
            data.Add(program, "wrong password", "cannot be opened with FANOUT_TLS_CERTIFICATE_PASSWORD (or FANOUT_TLS_CERTIFICATE_PASSWORD_FILE) (wrong password?)");
            data.Add(program, "no private key", "holds no private key");
            data.Add(program, "no CA set", "FANOUT_TLS_CA is not set, but FANOUT_TLS_CERTIFICATE is");
            data.Add(program, "missing CA file", "FANOUT_TLS_CA '/nonexistent/ca.crt' cannot be read");
            data.Add(program, "another CA", "does not chain to the CA in FANOUT_TLS_CA");
            data.Add(program, "plain seed with TLS", "CLUSTER_SEEDS entry 'akka.tcp://fanout@127.0.0.1:4053' is akka.tcp, but this");
            data.Add(program, "TLS seed without TLS", "CLUSTER_SEEDS entry 'akka.ssl.tcp://fanout@127.0.0.1:4053' is akka.ssl.tcp, but this");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_TLS_setting_exits_2_naming_the_variable(string program, string problem, string message)
    {
        var env = Environment(program);
        foreach (var (key, value) in Tls(problem)) env[key] = value;
        if (problem == "no CA set") env.Remove("FANOUT_TLS_CA");

        using var process = program == "node"
            ? HostProcess.Start(RepoPaths.NodeProgram, env)
            : HostProcess.Start("Fanout.Lighthouse.dll", env);

        Assert.Equal(2, await process.WaitForExitAsync(Within));
        Assert.Contains($"stderr: {(program == "node" ? "fanout-node" : "lighthouse")}: ", process.Output);
        Assert.Contains(message, process.Output);
    }

    [Fact]
    public void The_runtime_and_client_options_name_the_bad_TLS_option()
    {
        var wrongPassword = certificates.Cluster.Options("member");
        wrongPassword.CertificatePassword = "wrong";
        var runtime = new FanoutRuntimeOptions { RemoteTls = wrongPassword };
        Assert.Equal("RemoteTls.CertificatePassword", Assert.ThrowsAny<ArgumentException>(runtime.Validate).ParamName);

        var noCa = certificates.Cluster.Options("member");
        noCa.CaCertificatePath = null;
        var client = new FanoutClientOptions { Seeds = { "akka.ssl.tcp://fanout@127.0.0.1:4053" }, RemoteTls = noCa };
        var error = Assert.ThrowsAny<ArgumentException>(client.Validate);
        Assert.Equal("RemoteTls.CaCertificatePath", error.ParamName);
        Assert.Contains("RemoteTls.CaCertificatePath is not set", error.Message);

        var plainSeed = new FanoutClientOptions { Seeds = { "akka.tcp://fanout@127.0.0.1:4053" }, RemoteTls = certificates.Cluster.Options("member") };
        error = Assert.ThrowsAny<ArgumentException>(plainSeed.Validate);
        Assert.Equal("Seeds", error.ParamName);
        Assert.Contains("is akka.tcp, but this node has remoting TLS on", error.Message);

        // Good files pass, and a TLS seed goes with them.
        new FanoutClientOptions { Seeds = { "akka.ssl.tcp://fanout@127.0.0.1:4053" }, RemoteTls = certificates.Cluster.Options("member") }.Validate();
    }

    private Dictionary<string, string> Tls(string problem)
    {
        var good = new Dictionary<string, string>(certificates.Cluster.Environment("member"));
        switch (problem)
        {
            case "missing certificate": good["FANOUT_TLS_CERTIFICATE"] = "/nonexistent/member.pfx"; break;
            case "wrong password":
                good.Remove("FANOUT_TLS_CERTIFICATE_PASSWORD_FILE");
                good["FANOUT_TLS_CERTIFICATE_PASSWORD"] = "not-the-password";
                break;
            case "no private key": good["FANOUT_TLS_CERTIFICATE"] = certificates.WithoutKey; break;
            case "missing CA file": good["FANOUT_TLS_CA"] = "/nonexistent/ca.crt"; break;
            case "another CA":
                good["FANOUT_TLS_CERTIFICATE"] = certificates.Other.Pfx("stranger");
                good["FANOUT_TLS_CERTIFICATE_PASSWORD_FILE"] = certificates.Other.PasswordFile;
                break;
            case "plain seed with TLS": good["CLUSTER_SEEDS"] = "akka.tcp://fanout@127.0.0.1:4053"; break;
            case "TLS seed without TLS":
                good.Clear();
                good["CLUSTER_SEEDS"] = "akka.ssl.tcp://fanout@127.0.0.1:4053";
                break;
        }
        return good;
    }

    private static Dictionary<string, string> Environment(string program) => program == "node"
        ? new()
        {
            ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = "0", ["FANOUT_HTTP_PORT"] = "0",
            ["FANOUT_DB_PATH"] = Path.Combine(Path.GetTempPath(), $"fanout-node-{Guid.NewGuid():N}.db"),
        }
        : new()
        {
            ["ACTORSYSTEM"] = "fanout", ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = $"{FreePorts.Next()}", ["CLUSTER_SEEDS"] = "",
        };
}
