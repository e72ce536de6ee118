using System.Runtime.InteropServices;

namespace Fanout.Benchmarks.Processes;

/// <summary>
/// Ctrl-C and SIGTERM (as a CI time-out sends) for a program that starts child processes: the first
/// cancels <c>stop</c>, so the program ends cleanly (children stopped, databases dropped); a second ends
/// the process at once, killing its children first, since the signal's default action would leave them running.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private StopSignals(CancellationTokenSource stop)
    {
        void OnSignal(PosixSignalContext signal)
        {
            if (stop.IsCancellationRequested)
            {
                ChildProcess.KillAll();
                return;
            }
            signal.Cancel = true;
            Console.Error.WriteLine($"stopping after {signal.Signal} (send it again to end at once) ...");
            stop.Cancel();
        }
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public static StopSignals Register(CancellationTokenSource stop) => new(stop);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
