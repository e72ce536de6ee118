using Fanout.Tests.EndToEnd;
using Fanout.Tests.Support;

namespace Fanout.Tests.Dashboard;

/// <summary>
/// An embedded runtime (open on loopback, no tokens) with finished runs the pages show: a grouped fan-out with
/// failures, a larger one for paging (121 actions), and a failed run with markup in its input, a group and its error.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private TestJournal? _journal;

    public FanoutRuntime Runtime { get; private set; } = null!;

    public PageClient Pages { get; private set; } = null!;

    public string FleetRunId { get; private set; } = "";

    public string BigFleetRunId { get; private set; } = "";

    public string MarkupRunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _journal = await TestJournal.CreateAsync(FanoutJournal.Sqlite);
        Runtime = await FanoutRuntime.StartEmbeddedAsync(_journal.Options());
        Pages = new PageClient(Runtime.BaseUrl!);

        var fleet = await Runtime.RunAsync(DashboardTasks.Fleet, 8);
        await fleet.WaitAsync(Deadlines.EmbeddedRun, "the fleet run to end");
        FleetRunId = fleet.Id;
        var big = await Runtime.RunAsync(DashboardTasks.Fleet, 60);
        await big.WaitAsync(Deadlines.EmbeddedRun, "the big fleet run to end");
        BigFleetRunId = big.Id;
        var markup = await Runtime.RunAsync(DashboardTasks.Markup, DashboardTasks.Hostile);
        await Assert.ThrowsAsync<ActionFailedException>(() => markup.WaitAsync(Deadlines.EmbeddedRun, "the markup run to end"));
        MarkupRunId = markup.Id;
    }

    public async Task DisposeAsync()
    {
        Pages?.Dispose();
        if (Runtime is not null) await Runtime.DisposeAsync();
        if (_journal is not null) await _journal.DisposeAsync();
    }
}
