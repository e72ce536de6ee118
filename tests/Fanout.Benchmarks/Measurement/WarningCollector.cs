using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// A logger factory for a benchmark runtime that counts the warnings and errors Fanout and Akka.NET
/// log, grouped by what they say: a journal that rejects writes ("queue buffer was full") or a shard
/// that cannot load its remembered entities says so only in the log, and the scenario reports it beside
/// its own counts. Messages that differ only in numbers and actor paths (one per shard or per run) count
/// as one kind. Everything below Warning is switched off, so the runtime pays nothing for its information lines.
/// </summary>
internal sealed partial class WarningCollector : ILoggerFactory, ILogger
{
    private const int KindsShown = 6;
    private const int MaxLength = 240;

    private readonly Dictionary<string, int> _kinds = [];
    private int _warnings;
    private int _errors;

    public int Warnings => Volatile.Read(ref _warnings);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Counts the messages logged from now on, so the warm-up's are left out.</summary>
    public void Reset()
    {
        lock (_kinds) _kinds.Clear();
        Interlocked.Exchange(ref _warnings, 0);
        Interlocked.Exchange(ref _errors, 0);
    }

    /// <summary>The counts and the most frequent kinds of message, for the table's note.</summary>
    public string Describe()
    {
        var line = $"the runtime logged {Warnings:N0} warning(s) and {Errors:N0} error(s)";
        lock (_kinds)
        {
            if (_kinds.Count == 0) return line;
            var kinds = _kinds.OrderByDescending(k => k.Value).Take(KindsShown).Select(k => $"{k.Value:N0}x \"{k.Key}\"");
            return $"{line}, most often: {string.Join(" | ", kinds)}{(_kinds.Count > KindsShown ? $" (and {_kinds.Count - KindsShown} other kind(s))" : "")}";
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("the benchmark's warning collector takes no providers");

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        if (logLevel == LogLevel.Warning) Interlocked.Increment(ref _warnings);
        else Interlocked.Increment(ref _errors);
        var kind = Kind($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
        lock (_kinds) _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Dispose()
    {
    }

    // Akka's "[akka.tcp://...]" log source, addresses, run ids and every number become placeholders.
    private static string Kind(string message)
    {
        var kind = Numbers().Replace(RunIds().Replace(AkkaAddresses().Replace(message, "<actor>"), "<run>"), "#").ReplaceLineEndings(" ");
        return kind.Length <= MaxLength ? kind : kind[..MaxLength] + "...";
    }

    [GeneratedRegex(@"\[?akka(\.tcp)?://[^\s\]]*\]?")]
    private static partial Regex AkkaAddresses();

    // A run id is 'r' and ten of "a-z" less l and o, and "2-9" (RunStarter); one with no digit in it
    // (about one in 18) is left as it is rather than taking English words for ids.
    [GeneratedRegex(@"\br(?=[a-km-np-z2-9]{0,9}[2-9])[a-km-np-z2-9]{10}\b")]
    private static partial Regex RunIds();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Numbers();
}
