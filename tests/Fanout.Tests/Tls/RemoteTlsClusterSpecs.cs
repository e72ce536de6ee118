using System.Net;
using Fanout.ClusterApp;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Fanout.Tests.Tls.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Tls;

/// <summary>
/// A cluster with mutual TLS on remoting, as real processes on loopback: its members run fan-outs as before,
/// and a process with a certificate from another CA, or with no TLS at all, can neither join nor get a single
/// message to a run or an executor, while a run in progress goes on untouched.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RemoteTlsClusterSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private const int ControlLeaf = 9_000;
    private const int ForeignLeaf = 9_001;
    private const int PlainLeaf = 9_002;

    [Fact]
    public async Task Members_with_the_clusters_certificates_run_a_fan_out_and_intruders_without_them_neither_join_nor_reach_a_run_or_executor()
    {
        using var certificates = await ClusterCertificates.MakeAsync("lighthouse", "worker-1", "worker-2", "app", "control");
        using var foreign = await ClusterCertificates.MakeAsync("intruder");
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, certificates.Environment, "worker-1", "worker-2");
        Assert.StartsWith("akka.ssl.tcp://", cluster.Workers[0].Address);
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 2);
        await using var client = await FanoutClient.ConnectAsync(new FanoutClientOptions
        {
            Seeds = { cluster.Seed }, RemoteTls = certificates.Options("app"), AkkaConfig = "akka.actor.serialize-messages = on",
        });

        // Over TLS, a fan-out spreads over both workers and gathers right.
        var first = await client.RunAsync(ClusterTasks.FanOut, new Fan(40, 20));
        var result = await first.WaitAsync(Within, "the fan-out over TLS to end");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2), result.Select(r => r.Value));
        Assert.Equal(["worker-1", "worker-2"], result.Select(r => r.Node).Distinct().Order());
        var members = (await ClusterChecks.MembersAsync(cluster.Workers[0])).Select(m => m.Address).ToHashSet();

        // A run in progress while the intruders try: its slow half (20 s a leaf) runs on the workers throughout.
        var running = await client.RunAsync(ClusterTasks.FanOut, new Fan(8, 50, SlowDelayMs: 20_000));
        await Eventually.True(() => cluster.Trace().Any(t => t is { What: "fast-done", Subject: "parent" }), Within, "the running run's fast half to be gathered");

        // The control: a non-member with a certificate from the cluster's CA gets both messages through, so the
        // probe is one that can tell.
        await using (var control = RemotingProbe.Start(certificates.Options("control")))
        {
            control.Send(cluster.Workers[0].Address, "tls-probe-control", ControlLeaf);
            await Eventually.True(() => cluster.Trace().Any(t => t is { What: "start" } && t.Subject == $"leaf-{ControlLeaf}"), Within,
                "the control probe's attempt to run on worker-1");
            await Eventually.Value(() => RunStatusAsync(cluster, "tls-probe-control"), s => s == HttpStatusCode.OK, Within,
                "the control probe's run to exist");
        }

        // The intruders: a node process with another CA's certificate, and one without TLS, try to join the same
        // lighthouse; in this process, a probe of each kind sends a run start and an attempt to both workers.
        var foreignPort = FreePorts.Next();
        var plainPort = FreePorts.Next();
        using var foreignNode = HostProcess.Start(RepoPaths.NodeProgram, IntruderEnvironment(cluster, "foreign", foreignPort, cluster.Seed, foreign.Environment("intruder")));
        using var plainNode = HostProcess.Start(RepoPaths.NodeProgram, IntruderEnvironment(cluster, "plain", plainPort,
            cluster.Seed.Replace("akka.ssl.tcp://", "akka.tcp://", StringComparison.Ordinal), new Dictionary<string, string>()));
        await using var foreignProbe = RemotingProbe.Start(foreign.Options("intruder"));
        await using var plainProbe = RemotingProbe.Start(tls: null);

        // Each probe sends both messages to each worker, then waits until every worker has rejected one more connection
        // in the TLS handshake. The messages waited for that connection (the probe had no other to the worker), so when
        // it was rejected they were dropped: had the handshake let them through, they would be in the worker by now.
        // (The probe's own log is no signal: when the worker closes a handshake, Akka may leave the association pending.)
        foreach (var (probe, runId, leaf) in new[] { (foreignProbe, "tls-probe-foreign", ForeignLeaf), (plainProbe, "tls-probe-plain", PlainLeaf) })
        {
            var before = cluster.Workers.ToDictionary(w => w.Name, w => Refusals(w.Process.Output).Count(IsRejection));
            foreach (var worker in cluster.Workers) probe.Send(worker.Address, runId, leaf);
            try
            {
                await Eventually.True(() => cluster.Workers.All(w => Refusals(w.Process.Output).Count(IsRejection) > before[w.Name]),
                    Within, $"both workers to reject {runId}'s connection");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}. The probe logged:\n{string.Join("\n", probe.Log.Lines.TakeLast(30))}", e);
            }
        }

        // The probes' messages were refused while the run was going (its slow half outlasts them by far on an idle
        // machine).
        Assert.Equal(RunStatus.Running, (await running.GetSummaryAsync()).Status);

        // The intruder nodes tried their seeds for the whole join timeout (a join takes well under a second) and gave up.
        Assert.Equal(1, await foreignNode.WaitForExitAsync(Within));
        Assert.Equal(1, await plainNode.WaitForExitAsync(Within));
        Assert.Contains("Could not join any of the seed nodes", foreignNode.Output);
        Assert.Contains("Could not join any of the seed nodes", plainNode.Output);
        Assert.Contains("TLS handshake failed", foreignNode.Output);

        // Nothing joined and nothing arrived: the members are the ones from before, neither probe's run exists,
        // and neither attempt ran anywhere.
        foreach (var worker in cluster.Workers)
        {
            var now = (await ClusterChecks.MembersAsync(worker)).Select(m => m.Address).ToHashSet();
            Assert.Equal(members.Order(), now.Order());
            Assert.DoesNotContain(now, a => a.EndsWith($":{foreignPort}", StringComparison.Ordinal) || a.EndsWith($":{plainPort}", StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.NotFound, await RunStatusAsync(cluster, "tls-probe-foreign"));
        Assert.Equal(HttpStatusCode.NotFound, await RunStatusAsync(cluster, "tls-probe-plain"));
        Assert.DoesNotContain(cluster.Trace(), t => t.Subject == $"leaf-{ForeignLeaf}" || t.Subject == $"leaf-{PlainLeaf}");

        // The run that was going all along ends right.
        var slow = await running.WaitAsync(Within, "the run in progress during the intrusion to end");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i * 2), slow.Select(r => r.Value));
        var summary = await running.GetSummaryAsync();
        Assert.Equal(9, summary.Counts.GetValueOrDefault(ActionStatus.Succeeded));
        Assert.Equal(9, summary.TotalActions);

        // What the cluster said about it. Every member turned both intruders' connections away in the handshake; the
        // plain one's bytes were not TLS at all. Which side of a foreign-CA handshake refuses first (and logs the
        // other's certificate by name) depends on timing, so the spec counts rejections and prints what was said.
        var lighthouseSaid = Refusals(cluster.LighthouseOutput);
        var workersSaid = cluster.Workers.SelectMany(w => Refusals(w.Process.Output).Select(line => $"{w.Name}: {line}")).ToList();
        output.WriteLine("---- what the cluster logged about the intruders ----");
        foreach (var line in lighthouseSaid.Take(8)) output.WriteLine($"lighthouse: {line}");
        foreach (var line in workersSaid.Take(12)) output.WriteLine(line);
        Assert.True(lighthouseSaid.Count(IsRejection) >= 2, "the lighthouse rejected both intruder nodes' connections");
        foreach (var worker in cluster.Workers)
        {
            var said = Refusals(worker.Process.Output);
            Assert.True(said.Count(IsRejection) >= 2, $"{worker.Name} rejected both probes' connections");
            Assert.Contains(said, line => line.Contains("not an SSL/TLS record", StringComparison.Ordinal));
        }
        Assert.Contains(lighthouseSaid.Concat(workersSaid).Concat(foreignProbe.Log.Lines), line => line.Contains("Remoting TLS: refused", StringComparison.Ordinal));

        // An operator names members by their akka.ssl.tcp addresses: the intruder's is read (and is no member), a
        // plain akka.tcp one is refused naming the scheme.
        var (downForeign, foreignAnswer) = await DownAsync(cluster, $"akka.ssl.tcp://fanout@127.0.0.1:{foreignPort}");
        Assert.True(downForeign == HttpStatusCode.NotFound, $"down of a non-member TLS address: {downForeign} {foreignAnswer}");
        Assert.Contains("is not a member", foreignAnswer, StringComparison.Ordinal);
        var (downPlain, plainAnswer) = await DownAsync(cluster, $"akka.tcp://fanout@127.0.0.1:{plainPort}");
        Assert.Equal(HttpStatusCode.BadRequest, downPlain);
        Assert.Contains("must be akka.ssl.tcp://fanout@host:port", plainAnswer, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> DownAsync(LoopbackCluster cluster, string address)
    {
        using var body = new StringContent($$"""{"address": "{{address}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(cluster.Workers[0].HttpApi!, "cluster/down"), body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static bool IsRejection(string line) => line.Contains("Rejected incoming connection", StringComparison.Ordinal);

    private static Dictionary<string, string> IntruderEnvironment(LoopbackCluster cluster, string name, int port, string seed,
        IReadOnlyDictionary<string, string> tls)
    {
        var env = cluster.WorkerEnvironment($"intruder-{name}", "");
        foreach (var key in env.Keys.Where(k => k.StartsWith("FANOUT_TLS_", StringComparison.Ordinal)).ToList()) env.Remove(key);
        foreach (var (key, value) in tls) env[key] = value;
        env["CLUSTER_PORT"] = $"{port}";
        env["CLUSTER_SEEDS"] = seed;
        env["CLUSTER_JOIN_TIMEOUT"] = "10";
        env["FANOUT_JOURNAL"] = "sqlite";
        env["FANOUT_DB_PATH"] = Path.Combine(Path.GetTempPath(), "fanout-tests", $"intruder-{name}-{Guid.NewGuid():N}.db");
        return env;
    }

    // The lines a member logged about a refused TLS handshake or a connection that was not TLS.
    private static List<string> Refusals(string log) =>
        log.Split('\n').Where(line => line.Contains("Remoting TLS: refused", StringComparison.Ordinal)
                                      || line.Contains("TLS handshake", StringComparison.Ordinal)
                                      || line.Contains("Rejected incoming connection", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();

    private static async Task<HttpStatusCode> RunStatusAsync(LoopbackCluster cluster, string runId)
    {
        using var response = await Http.GetAsync(new Uri(cluster.Workers[1].HttpApi!, $"runs/{runId}"));
        return response.StatusCode;
    }
}
