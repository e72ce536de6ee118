using Fanout.Tests.Support;
using static Fanout.Tests.EndToEnd.IdempotencyTasks;

namespace Fanout.Tests.EndToEnd;

/// <summary>
/// A run id keeps naming its run after the process that started it has stopped: a start retried by a new
/// process on the same journal gets the journaled run back (and its root does not run again), and a start
/// of another input under the id is refused from what the journal holds. On each journal.
/// </summary>
public abstract class IdempotentStartAfterRestartSpecs(FanoutJournal journal)
{
    [Fact]
    public async Task A_start_retried_by_a_new_process_on_the_same_journal_gets_the_journaled_run()
    {
        await using var testJournal = await TestJournal.CreateAsync(journal);
        var options = new RunOptions { RunId = $"restart-{journal}-{Guid.NewGuid():N}" };

        await using (var first = await StartAsync(testJournal))
        {
            var run = await first.RunAsync(CountedRoot, 8, options);
            Assert.Equal(16, await run.EndsAsync("the run before the restart"));
        }

        await using var second = await StartAsync(testJournal);
        var again = await second.RunAsync(CountedRoot, 8, options);
        Assert.Equal(options.RunId, again.Id);
        Assert.Equal(16, await again.EndsAsync("the run started again after the restart"));
        var conflict = await Assert.ThrowsAsync<RunIdConflictException>(() => second.RunAsync(CountedRoot, 9, options));
        Assert.Equal("8", conflict.ExistingInputJson);

        Assert.Equal(1, RootExecutions[options.RunId!]);
        Assert.Equal(1, (await again.GetSummaryAsync()).TotalActions);
    }

    private static Task<FanoutRuntime> StartAsync(TestJournal testJournal)
    {
        var options = testJournal.Options();
        options.HttpPort = null;
        return FanoutRuntime.StartEmbeddedAsync(options);
    }
}

public sealed class IdempotentStartAfterRestartSpecsOnSqlite() : IdempotentStartAfterRestartSpecs(FanoutJournal.Sqlite);

public sealed class IdempotentStartAfterRestartSpecsOnPostgres() : IdempotentStartAfterRestartSpecs(FanoutJournal.PostgreSql);
