using System.Data.Common;
using Fanout.Runtime.Index;
using Microsoft.Extensions.Logging;

namespace Fanout.Operations;

/// <summary>
/// Whether the journal's database answers a trivial query within a short timeout (the readiness probe and Fanout.Hosting's health check). The answer is kept a few seconds
/// and concurrent readiness probes share one query, so a probe every second from every kubelet costs the database
/// almost nothing. What failed is logged, not answered: a database error names hosts and users.
/// </summary>
internal sealed class JournalProbe(RunsIndexDatabase database, ILogger log)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private Task<string?>? _last;
    private DateTime _startedAt;

    /// <summary>Null when the journal answered, else what is wrong, fit for an HTTP answer.</summary>
    public Task<string?> ProblemAsync()
    {
        lock (_gate)
        {
            if (_last is null || _last.IsCompleted && DateTime.UtcNow - _startedAt > Fresh)
            {
                _startedAt = DateTime.UtcNow;
                _last = ProbeAsync();
            }
            return _last;
        }
    }

    private async Task<string?> ProbeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await using var connection = await database.OpenJournalAsync(timeout.Token).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or InvalidOperationException
                                       or IOException or System.Net.Sockets.SocketException)
        {
            log.LogWarning(e, "Readiness: the journal database did not answer within {Timeout}", Timeout);
            return $"the journal database did not answer within {Timeout.TotalSeconds:0} s (the node's log says why)";
        }
    }
}
