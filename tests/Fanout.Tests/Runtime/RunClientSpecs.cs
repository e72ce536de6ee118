using Akka.TestKit.Xunit2;
using Fanout.Protocol;
using Fanout.Runtime;
using Fanout.Tests.Actors;

namespace Fanout.Tests.Runtime;

/// <summary>Callers of a run get its answer or a clear error, never a bare ask timeout.</summary>
public sealed class RunClientSpecs() : TestKit(ActorSpecConfig.Hocon)
{
    private static readonly CallOptions NoRetries = new(0, 0, 10, 100);

    [Fact]
    public async Task A_start_the_run_could_not_journal_is_asked_again_until_it_is_accepted()
    {
        var runs = CreateTestProbe();
        var client = new RunClient(runs.Ref, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));

        var start = client.StartAsync("r-again", "env.main", "1", NoRetries, CancellationToken.None);

        runs.ExpectMsg<StartRun>();
        runs.Reply(new RunUnavailable("r-again", "its journal write failed: connection refused"));
        runs.ExpectMsg<StartRun>(); // not answered: its node is restarting
        Assert.Equal("r-again", runs.ExpectMsg<StartRun>().RunId);
        runs.Reply(new RunAccepted("r-again"));
        await start.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_run_that_does_not_answer_in_time_gives_a_clear_error_naming_it()
    {
        var runs = CreateTestProbe();
        var client = new RunClient(runs.Ref, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));

        var start = await Assert.ThrowsAnyAsync<FanoutException>(() =>
            client.StartAsync("r-silent", "env.main", "1", NoRetries, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Run r-silent did not confirm its start within", start.Message);
        Assert.Contains("may or may not have started", start.Message);

        var query = await Assert.ThrowsAnyAsync<FanoutException>(() =>
            client.GetSummaryAsync("r-silent").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Run r-silent did not report its summary within", query.Message);
    }
}
