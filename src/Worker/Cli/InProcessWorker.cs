using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Ktrdr.Worker.Cli.Operations;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The Hangfire server <c>migrate</c> runs in its own process when no live worker (a recent heartbeat,
/// <see cref="WorkerLiveness"/>) is there to take its jobs, also when the worker it was waiting for goes silent.
/// Disposing it stops it gracefully: its running jobs are cancelled and go back to the queue at once.
/// </summary>
internal sealed class InProcessWorker(IServiceProvider services, TextWriter log) : IDisposable
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    private readonly JobStorage _storage = services.GetRequiredService<JobStorage>();
    private readonly Stopwatch _sinceCheck = new();
    private BackgroundJobServer? _server;
    private string? _waitingFor;

    public bool Running => _server is not null;

    /// <summary>Starts the server here unless another worker is alive; says on whom it waits otherwise.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_server is not null || (_sinceCheck.IsRunning && _sinceCheck.Elapsed < CheckEvery))
        {
            return;
        }

        _sinceCheck.Restart();
        // Hangfire's monitoring API is synchronous; keep it off the caller's thread.
        var alive = await Task.Run(() => new HangfireJobs(_storage).Servers().Alive, cancellationToken);
        if (alive.Count == 0)
        {
            await log.WriteLineAsync(_waitingFor is null
                ? "no worker is running: processing the jobs in this process"
                : string.Create(CultureInfo.InvariantCulture, $"no heartbeat from {_waitingFor} for {WorkerLiveness.DeadAfter.TotalSeconds:F0}s (stopped or killed): processing the jobs in this process"));
            Start();
            return;
        }

        var now = DateTime.UtcNow;
        var names = string.Join(", ", alive.Select(s => s.Name).Order(StringComparer.Ordinal));
        if (names != _waitingFor)
        {
            _waitingFor = names;
            var beat = alive.Max(s => s.Heartbeat) is { } last ? (now - last).TotalSeconds : 0;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"waiting for the running worker {names} (last heartbeat {beat:F0}s ago) to process the jobs; if it is silent for {WorkerLiveness.DeadAfter.TotalSeconds:F0}s, this process takes them over"));
        }
    }

    public void Dispose() => _server?.Dispose();

    private void Start()
    {
        var options = new BackgroundJobServerOptions
        {
            // Disposing waits this long for cancelled jobs to hand their work back (to the queue) before the process ends.
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        };
        KtrdrHangfireExtensions.ConfigureServer(options, services.GetRequiredService<IOptions<HangfireOptions>>().Value, "ktrdr-migrate");
        _server = KtrdrHangfireExtensions.StartServer(services, options);
    }
}
