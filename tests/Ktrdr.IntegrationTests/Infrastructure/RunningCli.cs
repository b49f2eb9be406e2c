using System.Diagnostics;
using System.Text;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The real <c>ktrdr</c> executable started and left running, for tests that interrupt it: its output as it comes,
/// a signal by <c>kill</c> (.NET sends no SIGINT), and its exit.
/// </summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private RunningCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static RunningCli Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = CliProcess.StartInfo(environment, args);

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the ktrdr CLI");
        process.StandardInput.Close();
        return new RunningCli(process);
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>; fails with what it printed if it exits first.</summary>
    public async Task WaitForStderrAsync(string text, CancellationToken cancellationToken)
    {
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                Assert.Fail($"ktrdr exited ({_process.ExitCode}) before printing '{text}':\n{Stderr}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Sends a signal by name (INT, KILL) with <c>kill</c>.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync(cancellationToken);
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} {Id} failed");
    }

    public async Task<CliProcess.Result> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        lock (_stdout)
        {
            return new CliProcess.Result(_process.ExitCode, _stdout.ToString(), Stderr);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
