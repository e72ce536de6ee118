using Microsoft.Extensions.Logging;

namespace Fanout.Benchmarks.Measurement;

/// <summary>
/// A logger factory for a benchmark runtime that counts the warnings and errors Fanout and Akka.NET
/// log and keeps the first few: a journal that rejects writes ("queue buffer was full") or a run
/// actor that stops says so only in the log, and the scenario reports it beside its own counts.
/// Everything below Warning is switched off, so the runtime pays nothing for its information lines.
/// </summary>
internal sealed class WarningCollector : ILoggerFactory, ILogger
{
    private const int Kept = 3;
    private const int MaxLength = 300;

    private readonly List<string> _first = [];
    private int _warnings;
    private int _errors;

    public int Warnings => Volatile.Read(ref _warnings);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Counts the messages logged from now on, so the warm-up's are left out.</summary>
    public void Reset()
    {
        lock (_first) _first.Clear();
        Interlocked.Exchange(ref _warnings, 0);
        Interlocked.Exchange(ref _errors, 0);
    }

    /// <summary>The counts and the first messages, for the table's note.</summary>
    public string Describe()
    {
        var line = $"the runtime logged {Warnings:N0} warning(s) and {Errors:N0} error(s)";
        lock (_first)
            return _first.Count == 0 ? line : $"{line}, first: {string.Join(" | ", _first)}";
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
        var message = $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}"
            .ReplaceLineEndings(" ");
        lock (_first)
            if (_first.Count < Kept) _first.Add(message.Length <= MaxLength ? message : message[..MaxLength] + "...");
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Dispose()
    {
    }
}
