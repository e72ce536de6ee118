using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// The fuzzer reports what it is there to find: pointed at a server whose routes throw or never answer, it
/// names the 500s and the hangs (so the fuzz spec's silence about the real API means something), and it sends
/// the Authorization header it was given with every request.
/// </summary>
public sealed class HttpApiFuzzerSelfSpecs : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _baseUrl = null!;
    private int _withToken;
    private int _requests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            // Some requests add a random token of their own after it; the given one must be there.
            if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer fuzz-token", StringComparison.Ordinal))
                Interlocked.Increment(ref _withToken);
            await next(context);
        });
        _app.MapGet("/runs/{runId}", string (string runId) => throw new InvalidOperationException($"a bug reading {runId}"));
        _app.MapGet("/runs/{runId}/actions", async (string runId, CancellationToken ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // never answers while the client waits
            return "unreachable";
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseUrl = new Uri(address + "/");
    }

    [Fact]
    public async Task It_reports_500s_and_hangs_with_the_request_that_caused_them()
    {
        var fuzzer = new HttpApiFuzzer(_baseUrl, "Bearer fuzz-token", requestDeadline: TimeSpan.FromSeconds(2));

        var report = await fuzzer.RunAsync(seed: 7, requests: 400, concurrency: 8, ["known-run"], "fuzz.echo");

        Assert.Contains(report.Failures, f => f.StartsWith("500 for request ", StringComparison.Ordinal) && f.Contains("GET /runs/"));
        Assert.Contains(report.Failures, f => f.StartsWith("HANG request ", StringComparison.Ordinal) && f.Contains("/actions"));
        Assert.True(report.ByStatus.GetValueOrDefault("500") > 0, "the throwing route was never hit");
        // Every request Kestrel parsed far enough to run the app carried the token.
        Assert.True(_requests > 100, $"only {_requests} requests reached the app");
        Assert.Equal(_requests, _withToken);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
