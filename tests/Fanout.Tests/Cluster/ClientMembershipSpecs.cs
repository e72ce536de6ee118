using System.Diagnostics;
using Fanout.Tests.Cluster.Support;
using Fanout.Tests.Support;
using Xunit.Abstractions;

namespace Fanout.Tests.Cluster;

/// <summary>
/// App clients are cluster members, but they never decide which side of the cluster lives: the split-brain
/// resolver counts only workers and lighthouses. A client the cluster removes says so and can connect again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientMembershipSpecs(ITestOutputHelper output)
{
    private const int Apps = 3;
    private const string ClientRole = "fanout-client";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Frozen_apps_that_outnumber_the_workers_are_downed_instead_of_them_and_each_says_so_and_reconnects_to_its_run()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await using var cluster = await LoopbackCluster.StartAsync(db.ConnectionString, output, "worker-1");
        await ClusterChecks.ExecutorsVisibleAsync(cluster, 1);
        var worker = cluster.Worker("worker-1");

        // Three app processes (more members than the lighthouse and the worker together), each waiting for a
        // run whose leaves take 30 s.
        var apps = Enumerable.Range(0, Apps)
            .Select(_ => HostProcess.Start(RepoPaths.TestProgram("Fanout.ClusterApp"), new Dictionary<string, string>(), cluster.Seed, "fan", "2", "30000"))
            .ToList();
        try
        {
            await Task.WhenAll(apps.Select(app => app.WaitForLineAsync("run ", Within)));
            await Eventually.Value(() => ClusterChecks.MembersAsync(worker), members => members.Count(IsClient) == Apps, Within,
                "the worker to see every app as a member");

            // The apps stall (a debugger, a paused VM, a starved host): the cluster cannot hear from them.
            foreach (var app in apps) app.Freeze();
            var clock = Stopwatch.StartNew();
            var members = await Eventually.Value(() => ClusterChecks.MembersAsync(worker), m => !m.Any(IsClient), Within,
                "the frozen apps to be removed from the cluster");
            output.WriteLine($"{Apps} frozen apps removed {clock.Elapsed.TotalSeconds:F1} s after they froze; members left: " +
                             string.Join(", ", members.Select(m => $"{m.Address} {m.Status} [{string.Join(",", m.Roles)}]")));
            Assert.False(worker.Process.HasExited, $"the worker exited:\n{worker.Process.Output}");
            Assert.Equal(2, members.Count); // the lighthouse and the worker, both up and reachable
            Assert.All(members, m => Assert.True(m is { Status: "Up", Reachable: true }, $"{m.Address} is {m.Status}, reachable {m.Reachable}"));
            Assert.All(members, m => Assert.Contains("fanout-core", m.Roles)); // both count in split-brain decisions

            // Back to life, each app learns it was removed, connects again and gets its run's result.
            foreach (var app in apps) app.Thaw();
            foreach (var app in apps)
            {
                var removed = await app.WaitForLineAsync("removed: ", Within);
                Assert.Contains("was removed from the cluster", removed);
                await app.WaitForLineAsync("result ", Within);
                Assert.Equal(0, await app.WaitForExitAsync(Within));
            }
            output.WriteLine(apps[0].Output);
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Thaw();
                app.Dispose();
            }
        }
    }

    private static bool IsClient((string Address, string Status, bool Reachable, string[] Roles) member) => member.Roles.Contains(ClientRole);
}
