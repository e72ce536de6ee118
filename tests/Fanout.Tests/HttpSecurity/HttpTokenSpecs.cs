using System.Net;
using System.Text.Json;
using Fanout.Tests.Support;

namespace Fanout.Tests.HttpSecurity;

/// <summary>
/// A node bound beyond loopback with tokens: every route but the probes needs one, the viewer token reads only, the
/// operator token does everything, and no token reaches a log or an answer.
/// </summary>
public sealed class HttpTokenSpecs(TokenRuntimeFixture fixture) : IClassFixture<TokenRuntimeFixture>, IDisposable
{
    private readonly SecuredRuntime _node = fixture.Node;
    // Redirects are the answer under test (GET / is 302 to the runs page), not followed.
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private IReadOnlyList<ApiRoute> Routes => ApiRoute.All(fixture.SucceededRunId);

    [Fact]
    public void The_route_table_of_these_specs_covers_every_route_the_API_has()
    {
        var covered = Routes.Select(r => $"{r.Method} {r.Pattern}").Concat(ApiRoute.Probes).Concat(ApiRoute.LoginPages).Order().ToList();
        Assert.Equal(covered, _node.Runtime.HttpRoutes.Order().ToList());
    }

    [Fact]
    public async Task Every_route_without_a_token_or_with_a_wrong_one_is_401_with_a_bearer_challenge()
    {
        foreach (var route in Routes)
        foreach (var token in new[] { null, "not-the-token-0123456789", SecuredRuntime.OperatorToken + "x" })
        {
            using var response = await SendAsync(route, token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} with token '{token}' answered {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var body = await response.Content.ReadAsStringAsync();
            using var json = JsonDocument.Parse(body);
            Assert.Contains("needs a token", json.RootElement.GetProperty("error").GetString());
            if (token is not null) Assert.DoesNotContain(token, body);
        }
    }

    [Fact]
    public async Task Unknown_routes_are_401_too_so_a_stranger_learns_nothing_about_the_API()
    {
        using var response = await _http.GetAsync(new Uri(_node.Url, "no/such/route"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_viewer_token_reads_every_route_and_is_refused_every_write_with_403()
    {
        foreach (var route in Routes)
        {
            using var response = await SendAsync(route, SecuredRuntime.ViewerToken);
            if (route.IsWrite)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route} as viewer answered {(int)response.StatusCode}");
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("the viewer token may only read; this needs the operator token", json.RootElement.GetProperty("error").GetString());
            }
            else
            {
                Assert.True((int)response.StatusCode == route.OperatorStatus, $"{route} as viewer answered {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task The_operator_token_does_everything()
    {
        foreach (var route in Routes)
        {
            using var response = await SendAsync(route, SecuredRuntime.OperatorToken);
            Assert.True((int)response.StatusCode == route.OperatorStatus,
                $"{route} as operator answered {(int)response.StatusCode}: {(route.IsStream ? "" : await response.Content.ReadAsStringAsync())}");
        }
    }

    [Fact]
    public async Task The_probes_answer_without_a_token()
    {
        foreach (var path in new[] { "health", "health/live" })
        {
            using var live = await _http.GetAsync(new Uri(_node.Url, path));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        using var ready = await _http.GetAsync(new Uri(_node.Url, "health/ready"));
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, $"/health/ready answered {(int)ready.StatusCode}: {body}");
        Assert.Equal("ready", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Token_holders_see_task_stack_traces()
    {
        foreach (var token in new[] { SecuredRuntime.OperatorToken, SecuredRuntime.ViewerToken })
        {
            var (summary, actions) = await StackTraceAnswers.ReadAsync(_http, _node.Url, fixture.FailedRunId, token);
            Assert.Contains("ThrowDeep", summary);
            Assert.Contains("ThrowDeep", actions);
        }
    }

    [Fact]
    public async Task No_token_reaches_the_log()
    {
        foreach (var route in Routes.Where(r => !r.IsStream))
        {
            using var asOperator = await SendAsync(route, SecuredRuntime.OperatorToken);
            using var asViewer = await SendAsync(route, SecuredRuntime.ViewerToken);
        }
        Assert.NotEmpty(_node.Log.Lines);
        Assert.DoesNotContain(SecuredRuntime.OperatorToken, _node.Log.Text);
        Assert.DoesNotContain(SecuredRuntime.ViewerToken, _node.Log.Text);
    }

    private async Task<HttpResponseMessage> SendAsync(ApiRoute route, string? token)
    {
        using var request = SecuredRuntime.Request(new HttpMethod(route.Method), new Uri(_node.Url, route.Path.TrimStart('/')), token,
            route.IsWrite ? route.Body ?? "{}" : null);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public void Dispose() => _http.Dispose();
}
