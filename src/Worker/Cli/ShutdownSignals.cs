using System.Runtime.InteropServices;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation token. System.CommandLine's own handling ends the process about two
/// seconds after the signal whatever the command is doing, so <c>migrate</c> could neither say what it left nor stop
/// its in-process Hangfire server (whose record then made the next <c>migrate</c> wait for a dead worker). The first
/// signal cancels; a second one ends the process at once, as a user pressing Ctrl-C twice expects.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Cancel (keep the process) only the first time; the second signal gets the default: the process ends.
        context.Cancel = !_cancellation.IsCancellationRequested;
        _cancellation.Cancel();
    }
}
