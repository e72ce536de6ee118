using Fanout.Clustering;
using Fanout.Dashboard;
using Fanout.Operations;
using Fanout.Runtime.Index;
using Fanout.Views;

namespace Fanout.Tests.Dashboard;

/// <summary>Watchers of one run share one summary query: N browsers cost about one query a second, not N.</summary>
public sealed class SummaryCacheSpecs
{
    [Fact]
    public async Task Concurrent_watchers_of_one_run_share_one_query_and_other_runs_get_their_own()
    {
        var views = new HeldViews();
        var cache = new SummaryCache(views);
        var watchers = Enumerable.Range(0, 5).Select(_ => cache.GetAsync("r1", CancellationToken.None)).ToList();
        var other = cache.GetAsync("r2", CancellationToken.None);
        Assert.Equal(1, views.Reads("r1"));
        Assert.Equal(1, views.Reads("r2"));

        views.Answer();
        var summaries = await Task.WhenAll(watchers);
        Assert.All(summaries, s => Assert.Same(summaries[0], s));
        Assert.Equal("r2", (await other)!.Summary.RunId);
    }

    [Fact]
    public async Task A_watcher_that_leaves_does_not_cancel_the_query_the_others_wait_for()
    {
        var views = new HeldViews();
        var cache = new SummaryCache(views);
        using var leaving = new CancellationTokenSource();
        var gone = cache.GetAsync("r1", leaving.Token);
        var staying = cache.GetAsync("r1", CancellationToken.None);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        views.Answer();
        Assert.Equal("r1", (await staying)!.Summary.RunId);
    }

    /// <summary>Counts summary reads per run and answers them all when told.</summary>
    private sealed class HeldViews : IRunViews
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, int> _reads = [];

        public int Reads(string runId) => _reads.GetValueOrDefault(runId);

        public void Answer() => _answer.SetResult();

        public bool ReadOnly => true;

        public IReadOnlyList<string> TaskNames => [];

        public async Task<RunPageView?> GetRunPageAsync(string runId, CancellationToken ct)
        {
            lock (_reads) _reads[runId] = Reads(runId) + 1;
            await _answer.Task;
            return new RunPageView(new RunSummary(runId, "env.root", RunStatus.Running, DateTimeOffset.UnixEpoch, null, 1,
                new Dictionary<ActionStatus, int> { [ActionStatus.Running] = 1 }, [], null), new([], 0));
        }

        public Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken ct) => throw new NotSupportedException();

        public Task<RunPresence> FindAsync(string runId, CancellationToken ct) => throw new NotSupportedException();

        public Task<RunListPage> ListRunsAsync(RunListQuery query, CancellationToken ct) => throw new NotSupportedException();

        public Task<ActionPage?> ListActionsAsync(string runId, ActionQuery query, CancellationToken ct) => throw new NotSupportedException();

        public Task<ActionLookup?> GetActionAsync(string runId, string actionId, CancellationToken ct) => throw new NotSupportedException();

        public Task<ClusterView?> GetClusterAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<ExecutorsView?> GetExecutorsAsync(CancellationToken ct) => throw new NotSupportedException();
    }
}
