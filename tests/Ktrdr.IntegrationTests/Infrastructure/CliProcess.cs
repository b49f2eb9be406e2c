using System.Diagnostics;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>Runs the real <c>ktrdr</c> executable (the build next to the tests) as a separate process.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = StartInfo(environment, args);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the ktrdr CLI");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung command fails its test with what it printed, and does not live on holding connections.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"ktrdr {string.Join(' ', args)} did not exit within 5 minutes; stderr:\n{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The real CLI with <paramref name="args"/>, redirected, with only <paramref name="environment"/>'s database settings.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        // Through env(1), which restores SIGINT's default before exec (same pid): a test run started in the background
        // (nohup, '&' in a script) hands its children SIGINT ignored, and .NET leaves an inherited SIG_IGN alone, so the
        // CLI would never see the Ctrl-C its tests send, as a user's terminal would deliver it.
        var info = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "ktrdr.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var name in new[] { "DB_TYPE", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_CONNECTION_STRING", "DATA_DIR" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
