using System.Net;
using System.Text;
using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary><c>/health/ready</c> follows the node: ready once up, not ready (503 naming why) once it leaves, while <c>/health/live</c> stays 200.</summary>
public sealed class ReadinessSpecs : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_node_asked_to_leave_turns_not_ready_naming_why_and_stays_live()
    {
        await using var node = await SecuredRuntime.StartAsync(_ => { });
        var ready = new Uri(node.Url, "health/ready");
        using (var before = await _http.GetAsync(ready))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var self = Akka.Cluster.Cluster.Get(node.Runtime.ActorSystem).SelfAddress.ToString();
        using (var leave = await _http.PostAsync(new Uri(node.Url, "cluster/leave"),
                   new StringContent(JsonSerializer.Serialize(new { address = self }), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, leave.StatusCode);

        var notReady = await Eventually.Value(async () =>
        {
            using var response = await _http.GetAsync(ready);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, answer => answer.StatusCode != HttpStatusCode.OK, Within, "/health/ready to stop answering 200 after the leave");

        Assert.True(notReady.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)notReady.StatusCode}: {notReady.Body}");
        var body = JsonDocument.Parse(notReady.Body).RootElement;
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        var problems = body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains("in the cluster, not up") || p.Contains("shutting down") || p.Contains("draining"));
        Assert.StartsWith("not ready: ", body.GetProperty("error").GetString());

        using var live = await _http.GetAsync(new Uri(node.Url, "health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}
