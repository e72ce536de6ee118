using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fanout.Tests.Fuzz;

/// <summary>What a fuzz session saw: how many requests got which status, and the requests that broke a rule.</summary>
internal sealed record FuzzReport(int Requests, TimeSpan Elapsed, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyList<string> Failures)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// Fires <see cref="FuzzRequestGenerator"/>'s requests at a node's HTTP API, a few connections at a time, and checks
/// every answer: never a 5xx (but a 505 to an HTTP version Kestrel does not speak), never a hang (each request has a deadline), and a request the client sent whole
/// is answered (closing the connection without a word is allowed only for a request the client broke off).
/// <paramref name="authorization"/> (for example <c>Bearer t0ken</c>) is sent with every request, so a node that
/// requires a token can be fuzzed beyond its 401s; <paramref name="authorizationMix"/>, when given, replaces it with one
/// header value (or none, for a null entry) picked at random for each request, so one session covers the operator, the
/// viewer, a wrong token and no token at all.
/// </summary>
internal sealed class HttpApiFuzzer(Uri baseUrl, string? authorization = null, TimeSpan? requestDeadline = null,
    IReadOnlyList<string?>? authorizationMix = null)
{
    /// <summary>How long one request may take, answer included (15 s unless the caller says otherwise).</summary>
    public TimeSpan RequestDeadline { get; } = requestDeadline ?? TimeSpan.FromSeconds(15);

    public async Task<FuzzReport> RunAsync(int seed, int requests, int concurrency, IReadOnlyList<string> knownRunIds, string startableTask)
    {
        var generator = new FuzzRequestGenerator(seed, baseUrl.Authority, authorizationMix ?? [authorization], knownRunIds, startableTask);
        var byStatus = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var request = generator.Make(index);
                FuzzResponse response;
                try
                {
                    response = await RawHttpExchange.SendAsync(baseUrl.Host, baseUrl.Port, request, RequestDeadline);
                }
                catch (TimeoutException e)
                {
                    failures.Enqueue($"HANG {e.Message}: {request.Shown()}");
                    continue;
                }
                var key = response.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed";
                byStatus.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (response.Status >= 500 && !(response.Status == 505 && request.UnsupportedVersion))
                    failures.Enqueue($"{response.Status} for request {index} ({request.Description}): {request.Shown()}\n  answered: {response.Head}");
                else if (response.Status is null && !request.BrokenTransport)
                    failures.Enqueue($"no answer to the whole request {index} ({request.Description}): {request.Shown()}");
            }
        }));
        return new FuzzReport(requests, clock.Elapsed, byStatus.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value), [.. failures]);
    }
}
