using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// A program of this repository run with <c>dotnet</c> as a child of the benchmark: it is ready when it
/// prints a line starting with a given prefix, keeps its last output lines for the report, and is stopped
/// the way a container runtime stops it (SIGTERM, then a kill if it has not exited in time).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 500;
    private const int SigTerm = 15;

    // Children not yet exited, for KillAll.
    private static readonly ConcurrentDictionary<ChildProcess, bool> Running = new();

    private readonly Process _process;
    private readonly string _readyPrefix;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _lines = new();
    private int _stopped;

    private ChildProcess(string name, Process process, string readyPrefix)
    {
        Name = name;
        _process = process;
        _readyPrefix = readyPrefix;
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>The ready line (see <see cref="Start"/>); fails if the process exits before printing it.</summary>
    public Task<string> Ready => _ready.Task;

    /// <summary>Completes with the exit code when the process has exited and its output has been read.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last <see cref="KeptLines"/> lines it printed, standard error's prefixed with "stderr: ".</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>
    /// Starts <c>dotnet <paramref name="program"/></c> in <paramref name="workingDirectory"/> (where anything it
    /// writes by a relative path lands), with <paramref name="environment"/> laid over this process's own.
    /// </summary>
    public static ChildProcess Start(string name, string program, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        string readyPrefix)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(program);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, readyPrefix);
        process.OutputDataReceived += (_, e) => child.Receive(e.Data, "");
        process.ErrorDataReceived += (_, e) => child.Receive(e.Data, "stderr: ");
        process.Exited += (_, _) => child.OnExited();
        // Listed before it starts, so that one exiting at once is not listed after its removal.
        Running[child] = true;
        try
        {
            process.Start();
        }
        catch
        {
            Running.TryRemove(child, out _);
            throw;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The resident set now, or null where /proc is not there to read (not Linux) or the process is gone.</summary>
    public long? RssBytes() => ReadStatus("VmRSS:");

    /// <summary>The largest resident set over the process's life so far (VmHWM), or null as for <see cref="RssBytes"/>.</summary>
    public long? PeakRssBytes() => ReadStatus("VmHWM:");

    /// <summary>The processor time it has used so far (user and system), or null once it has exited.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Kills every child still running, for a benchmark that is about to end at once (a second Ctrl-C):
    /// the signal's default action ends this process without disposing anything, and would leave them running.
    /// </summary>
    public static void KillAll()
    {
        foreach (var child in Running.Keys) child.KillNow();
    }

    /// <summary>SIGTERM, so it may leave the cluster gracefully; a kill if it has not exited within <paramref name="within"/>.</summary>
    /// <returns>False when it had to be killed.</returns>
    public async Task<bool> StopAsync(TimeSpan within)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0 || _exited.Task.IsCompleted)
        {
            await _exited.Task;
            return true;
        }
        if (!OperatingSystem.IsWindows() && Kill(_process.Id, SigTerm) == 0)
        {
            try
            {
                await _exited.Task.WaitAsync(within);
                return true;
            }
            catch (TimeoutException)
            {
                // falls through to the kill
            }
        }
        KillNow();
        await _exited.Task;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(45));
        _process.Dispose();
    }

    private void Receive(string? line, string prefix)
    {
        if (line is null) return;
        _lines.Enqueue(prefix + line);
        while (_lines.Count > KeptLines) _lines.TryDequeue(out _);
        if (prefix.Length == 0 && line.StartsWith(_readyPrefix, StringComparison.Ordinal)) _ready.TrySetResult(line);
    }

    private void OnExited()
    {
        // Exited can be raised before the last lines are read; this waits for the end of both streams.
        _process.WaitForExit();
        Running.TryRemove(this, out _);
        var code = _process.ExitCode;
        _ready.TrySetException(new InvalidOperationException(
            $"{Name} exited with code {code} before printing '{_readyPrefix}'. Its last lines:\n{string.Join('\n', Lines.TakeLast(30))}"));
        _exited.TrySetResult(code);
    }

    private void KillNow()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private long? ReadStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            // "VmHWM:     123456 kB"
            var kb = line?[field.Length..].Trim().Split(' ')[0];
            return kb is null ? null : long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
