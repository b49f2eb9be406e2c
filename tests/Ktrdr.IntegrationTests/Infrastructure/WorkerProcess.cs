using System.Diagnostics;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>A real <c>ktrdr serve</c> process (Hangfire server, dashboard, health) that a test can kill.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private WorkerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, int workers = 1)
    {
        var port = Ports.Free();
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ktrdr.dll"), "serve", "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["KTRDR_WORKERS"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var worker = new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start ktrdr serve"), port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (worker._process.HasExited)
            {
                throw new InvalidOperationException($"ktrdr serve exited {worker._process.ExitCode}: {await worker._stderr}");
            }

            try
            {
                if ((await http.GetAsync(new Uri($"{worker.Url}/health"))).IsSuccessStatusCode)
                {
                    return worker;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        worker.Kill();
        throw new InvalidOperationException("ktrdr serve did not become healthy within 60 s");
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, like a crashed machine.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
