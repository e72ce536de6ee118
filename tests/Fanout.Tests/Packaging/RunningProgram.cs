using System.Collections.Concurrent;
using System.Diagnostics;
using Fanout.Tests.Support;

namespace Fanout.Tests.Packaging;

/// <summary>A fresh project's program while it runs: its output lines, its stdin, and its end.</summary>
internal sealed class RunningProgram : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public RunningProgram(string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        _process = DotnetCommand.Start(directory, environment, args);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    /// <summary>The text after <paramref name="prefix"/> on the first line that contains it.</summary>
    public async Task<string> WaitForAsync(string prefix, TimeSpan within)
    {
        string? Find() => _lines.FirstOrDefault(l => l.Contains(prefix, StringComparison.Ordinal));
        await Eventually.True(() => Find() is not null || _process.HasExited, within, $"a line with '{prefix}' from the fresh app");
        var line = Find() ?? throw new InvalidOperationException($"The fresh app exited ({_process.ExitCode}) without printing '{prefix}':\n{Output}");
        return line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Trim();
    }

    /// <summary>Closes stdin (the fallback app's signal to stop) and waits for the exit code.</summary>
    public async Task<int> CloseInputAndWaitAsync(TimeSpan within)
    {
        _process.StandardInput.Close();
        await Deadlines.Within(within, "the fresh app to exit after its stdin closed", _process.WaitForExitAsync);
        _process.WaitForExit(); // lets the output readers finish
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
