using Akka.Actor;

namespace Fanout.Tests.Cluster.Support;

/// <summary>
/// A client's questions to a cluster whose workers lose messages: an answer lost on the way shows as an
/// ask timeout, and the question is asked again (starts are safe to repeat under a caller-chosen run id).
/// </summary>
internal static class LossyAsks
{
    public static async Task<T> RetryAsync<T>(Func<Task<T>> ask, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        var timeouts = 0;
        while (true)
        {
            try
            {
                return await ask();
            }
            catch (AskTimeoutException) when (DateTime.UtcNow < deadline)
            {
                timeouts++;
            }
            catch (AskTimeoutException e)
            {
                throw new TimeoutException($"Timed out after {within} waiting for {what} ({timeouts + 1} unanswered asks)", e);
            }
        }
    }

    /// <summary>Every action of the run, a page of <see cref="ActionQuery.MaxLimit"/> at a time.</summary>
    public static async Task<List<ActionInfo>> AllActionsAsync<T>(RunHandle<T> run, TimeSpan within)
    {
        var actions = new List<ActionInfo>();
        while (true)
        {
            var page = await RetryAsync(() => run.GetActionsAsync(new ActionQuery(Offset: actions.Count, Limit: ActionQuery.MaxLimit)), within,
                $"actions {actions.Count}+ of run {run.Id}");
            actions.AddRange(page.Actions);
            if (page.Actions.Count == 0 || actions.Count >= page.Total) return actions;
        }
    }
}
