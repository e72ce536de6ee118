using System.Net;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// The worker program's HTTP security settings: tokens from variables or mounted files, a refusal (exit 2 naming the
/// variables) to serve beyond loopback without one, and every bad value named.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeApiTokenSpecs : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder = new();

    private Dictionary<string, string> Env(params (string Key, string Value)[] settings)
    {
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_IP"] = "127.0.0.1", ["CLUSTER_PORT"] = "0", ["FANOUT_HTTP_PORT"] = "0",
            ["FANOUT_DB_PATH"] = _folder.File($"fanout-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in settings) env[key] = value;
        return env;
    }

    [Fact]
    public async Task A_node_beyond_loopback_without_a_token_exits_2_naming_the_token_and_the_anonymous_switch()
    {
        var (exit, output) = await NodeProgramRun.UntilExitAsync(Env(("FANOUT_HTTP_HOST", "0.0.0.0")));

        Assert.Equal(2, exit);
        Assert.Contains("fanout-node: FANOUT_API_TOKEN is not set but the HTTP API listens beyond loopback (FANOUT_HTTP_HOST '0.0.0.0')", output);
        Assert.Contains("or set FANOUT_API_ALLOW_ANONYMOUS = true to serve it without tokens on purpose", output);
    }

    [Fact]
    public async Task Bad_security_settings_exit_2_naming_the_variable()
    {
        var tokenFile = _folder.File("token");
        await File.WriteAllTextAsync(tokenFile, SecuredRuntime.OperatorToken);
        var emptyFile = _folder.File("empty");
        await File.WriteAllTextAsync(emptyFile, "\n");
        var nowhere = _folder.File("nowhere");
        (string Key, string Value)[][] cases =
        [
            [("FANOUT_API_TOKEN", SecuredRuntime.OperatorToken), ("FANOUT_API_TOKEN_FILE", tokenFile)],
            [("FANOUT_API_TOKEN_FILE", nowhere)],
            [("FANOUT_API_VIEWER_TOKEN_FILE", emptyFile)],
            [("FANOUT_API_TOKEN", "short")],
            [("FANOUT_API_ALLOW_ANONYMOUS", "maybe")],
            [("FANOUT_HTTPS_CERTIFICATE", nowhere)],
            [("FANOUT_HTTPS_CERTIFICATE_PASSWORD_FILE", nowhere)],
            [("FANOUT_START_RATE_LIMIT", "-1")],
            [("FANOUT_HTTP_PUBLIC_URL", "fanout.example.com")],
            [("FANOUT_HTTP_PUBLIC_URL", "ftp://fanout.example.com/")],
        ];
        string[] messages =
        [
            "fanout-node: FANOUT_API_TOKEN and FANOUT_API_TOKEN_FILE are both set; set one",
            $"fanout-node: FANOUT_API_TOKEN_FILE '{nowhere}' cannot be read",
            $"fanout-node: FANOUT_API_VIEWER_TOKEN_FILE '{emptyFile}' is empty",
            "fanout-node: FANOUT_API_TOKEN must be at least 16 characters (it is 5)",
            "fanout-node: FANOUT_API_ALLOW_ANONYMOUS 'maybe' must be true or false",
            $"fanout-node: FANOUT_HTTPS_CERTIFICATE '{nowhere}' does not exist",
            $"fanout-node: FANOUT_HTTPS_CERTIFICATE_PASSWORD_FILE '{nowhere}' cannot be read",
            "fanout-node: FANOUT_START_RATE_LIMIT '-1' must be a whole number from 0 to 1000000",
            "fanout-node: FANOUT_HTTP_PUBLIC_URL 'fanout.example.com' is not an absolute URL such as https://fanout.example.com/",
            "fanout-node: FANOUT_HTTP_PUBLIC_URL 'ftp://fanout.example.com/' must be an absolute http or https URL without a query",
        ];
        // All at once: each is a process that exits at its settings.
        var results = await Task.WhenAll(cases.Select(settings => NodeProgramRun.UntilExitAsync(Env(settings))));
        for (var i = 0; i < cases.Length; i++)
        {
            Assert.True(results[i].ExitCode == 2, $"{string.Join(", ", cases[i])}: exit {results[i].ExitCode}\n{results[i].Output}");
            Assert.Contains(messages[i], results[i].Output);
            Assert.DoesNotContain(SecuredRuntime.OperatorToken, results[i].Output);
        }
    }

    [Fact]
    public async Task A_node_beyond_loopback_takes_its_tokens_from_mounted_files_and_never_prints_them()
    {
        var operatorFile = _folder.File("operator-token");
        var viewerFile = _folder.File("viewer-token");
        // A mounted secret often ends in a newline.
        await File.WriteAllTextAsync(operatorFile, SecuredRuntime.OperatorToken + "\n");
        await File.WriteAllTextAsync(viewerFile, SecuredRuntime.ViewerToken + "\n");
        var process = HostProcess.Start(RepoPaths.NodeProgram, Env(("FANOUT_HTTP_HOST", "0.0.0.0"),
            ("FANOUT_API_TOKEN_FILE", operatorFile), ("FANOUT_API_VIEWER_TOKEN_FILE", viewerFile)));
        using var node = new ClusterNode("secured", process); // disposes the process
        await node.WaitUpAsync(Within);
        var api = new UriBuilder(node.HttpApi!) { Host = "127.0.0.1" }.Uri;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, new Uri(api, "runs"), null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, new Uri(api, "runs"), SecuredRuntime.ViewerToken));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, HttpMethod.Post, new Uri(api, "runs/purge"), SecuredRuntime.ViewerToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Post, new Uri(api, "runs/purge"), SecuredRuntime.OperatorToken));
        await Eventually.Value(() => StatusAsync(http, HttpMethod.Get, new Uri(api, "health/ready"), null), s => s == HttpStatusCode.OK, Within,
            "the node to be ready");

        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(Within));
        Assert.DoesNotContain(SecuredRuntime.OperatorToken, process.Output);
        Assert.DoesNotContain(SecuredRuntime.ViewerToken, process.Output);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, Uri url, string? token)
    {
        using var response = await http.SendAsync(SecuredRuntime.Request(method, url, token, method == HttpMethod.Post ? "{\"olderThan\": \"7d\"}" : null));
        return response.StatusCode;
    }

    public void Dispose() => _folder.Dispose();
}
