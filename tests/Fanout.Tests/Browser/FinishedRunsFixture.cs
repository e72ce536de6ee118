using Fanout.Tests.Support;

namespace Fanout.Tests.Browser;

/// <summary>
/// The browser collection's open runtime, with a finished <see cref="BrowserTasks.Regions"/> run (nested groups,
/// some failed leaves) that the read-only specs and the screenshots look at.
/// </summary>
public sealed class FinishedRunsFixture : IAsyncLifetime
{
    /// <summary>Leaves in each of region/eu, region/us and checks.</summary>
    public const int PerGroup = 6;

    public DashboardRuntime Dashboard { get; private set; } = null!;

    public string RegionsRunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Dashboard = await DashboardRuntime.OpenAsync();
        var run = await Dashboard.Runtime.RunAsync(BrowserTasks.Regions, PerGroup);
        Assert.Equal(BrowserTasks.FailedLeaves(PerGroup), await run.WaitAsync(Deadlines.EmbeddedRun, "the regions run to end"));
        RegionsRunId = run.Id;
    }

    public async Task DisposeAsync()
    {
        if (Dashboard is not null) await Dashboard.DisposeAsync();
    }
}
