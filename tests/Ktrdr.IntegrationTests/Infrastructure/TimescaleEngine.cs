using System.Diagnostics;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A real TimescaleDB engine for the tests of TimescaleDB-specific SQL: <c>KTRDR_TEST_TIMESCALE</c>, else the WASM
/// build (npm) started from <c>tools/timescale</c>. It serves one connection at a time, so connections to it are not
/// pooled. Fails (never skips) when it cannot be had.
/// </summary>
internal static class TimescaleEngine
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _connectionString;
    private static Process? _process;

    public static async Task<string> ConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _connectionString ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public static void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("KTRDR_TEST_TIMESCALE") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        var root = RepositoryRoot();
        var script = Path.Combine(root, "tools", "timescale", "start.sh");
        var port = Ports.Free();

        var info = new ProcessStartInfo("bash", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(Path.GetTempPath(), $"ktrdr-timescale-{port}.log")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var starter = Process.Start(info) ?? throw new InvalidOperationException("could not run tools/timescale/start.sh");
        var pid = (await starter.StandardOutput.ReadToEndAsync()).Trim();
        var error = await starter.StandardError.ReadToEndAsync();
        await starter.WaitForExitAsync();
        if (starter.ExitCode != 0)
        {
            throw new InvalidOperationException($"the TimescaleDB engine did not start (tools/timescale/start.sh exited {starter.ExitCode}): {error}");
        }

        if (int.TryParse(pid.Split('\n')[^1], out var id))
        {
            _process = Process.GetProcessById(id);
        }

        return $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=false;SSL Mode=Disable";
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ktrdr.Worker.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Ktrdr.Worker.sln) above the test binaries");
    }
}
