namespace Fanout.Tests.Support;

/// <summary>The specs' deadline helper: a wait past its deadline names what it waited for; any other outcome passes through.</summary>
public sealed class DeadlinesSpecs
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_wait_past_its_deadline_fails_naming_what_was_awaited_and_the_deadline()
    {
        var never = new TaskCompletionSource<int>();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => never.Task.Within(Short, "the signal that never comes"));

        Assert.Equal("Timed out after 0.2 s waiting for the signal that never comes", error.Message);
    }

    [Fact]
    public async Task A_wait_that_takes_a_token_has_it_cancelled_at_the_deadline()
    {
        var seen = CancellationToken.None;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Deadlines.Within(Short, "the cancellable wait", token =>
        {
            seen = token;
            return Task.Delay(Timeout.Infinite, token);
        }));

        Assert.Contains("waiting for the cancellable wait", error.Message);
        Assert.True(seen.IsCancellationRequested, "the wait's token was not cancelled at the deadline");
    }

    [Fact]
    public async Task A_result_and_an_error_in_time_pass_through_unchanged()
    {
        Assert.Equal(7, await Task.FromResult(7).Within(Short, "a finished task"));

        var failure = new InvalidOperationException("its own failure");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Task.FromException(failure).Within(Short, "a failed task"));
        Assert.Same(failure, error);

        // Its own TimeoutException, before the deadline, is not taken for the deadline's.
        var own = new TimeoutException("the task's own timeout");
        Assert.Same(own, await Assert.ThrowsAsync<TimeoutException>(() => Task.FromException<int>(own).Within(TimeSpan.FromMinutes(1), "a task that timed out")));
    }
}
