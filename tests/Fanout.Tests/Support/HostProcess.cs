using System.Collections.Concurrent;
using System.Diagnostics;

namespace Fanout.Tests.Support;

/// <summary>A child process (a program built beside the tests) whose output lines the test can wait for.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _program;
    private readonly ConcurrentQueue<string> _lines = new();

    private HostProcess(Process process, string program)
    {
        _process = process;
        _program = program;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static HostProcess Start(IDictionary<string, string> environment, params string[] args) =>
        Start(Cluster.Support.RepoPaths.TestProgram("Fanout.CrashHost"), environment, args);

    public static HostProcess Start(string program, IDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}"), program);
    }

    public string Output => string.Join(Environment.NewLine, _lines);

    public async Task<string> WaitForLineAsync(string prefix, TimeSpan within)
    {
        string? line = null;
        string? Find() => _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        await Eventually.True(() => (line = Find()) is not null || _process.HasExited && Drained(),
            within, $"a line starting '{prefix}' from the host");
        // A host that printed the line and exited at once: its last lines arrive while the readers are drained,
        // after the first look, so look again before calling it missing.
        line ??= Find();
        return line ?? throw new InvalidOperationException($"The host exited without printing '{prefix}'. Output:\n{Output}");
    }

    private bool Drained()
    {
        _process.WaitForExit(); // lets the output readers finish
        return true;
    }

    /// <summary>SIGTERM, as a container runtime or Kubernetes stops a process: it may leave gracefully.</summary>
    public void Terminate() => Signal("-TERM");

    /// <summary>SIGSTOP: the process stops dead but keeps its sockets, as a stalled or debugged app does.</summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>SIGCONT: a frozen process goes on where it stopped.</summary>
    public void Thaw() => Signal("-CONT");

    private void Signal(string signal)
    {
        if (_process.HasExited) return; // its id may belong to another process by now
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: the process gets no chance to flush, leave the cluster or finish a write.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        try
        {
            await Deadlines.Within(within, $"{_program} (pid {Id}) to exit", _process.WaitForExitAsync);
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{timedOut.Message}; its last output:\n{string.Join('\n', _lines.TakeLast(30))}", timedOut);
        }
        _process.WaitForExit(); // lets the output readers finish
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
