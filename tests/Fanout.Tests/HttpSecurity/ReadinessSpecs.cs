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

        // Leaving, then shutting down: every answer on the way is 200 or a 503, and it ends at "shutting down".
        var answers = new List<(HttpStatusCode Status, string Body)>();
        var notReady = await Eventually.Value(async () =>
        {
            using var response = await _http.GetAsync(ready);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            return answers[^1];
        }, answer => answer.Body.Contains("this node is shutting down (draining its work)"), Within, "/health/ready to say the node is shutting down");

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)a.Status}: {a.Body}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        var body = JsonDocument.Parse(notReady.Body).RootElement;
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        Assert.Contains("this node is shutting down (draining its work)", body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.StartsWith("not ready: ", body.GetProperty("error").GetString());

        using var live = await _http.GetAsync(new Uri(node.Url, "health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}
