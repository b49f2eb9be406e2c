using System.Globalization;
using Ktrdr.Jobs;
using Microsoft.AspNetCore.Builder;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A real worker (<c>serve</c>, Kestrel on a free loopback port) on its own test database, with a temp data directory
/// and report directory that go away with it.
/// </summary>
internal sealed class RunningWorker : IAsyncDisposable
{
    private RunningWorker(WebApplication app, string root, string url) => (App, Root, Url) = (app, root, url);

    public WebApplication App { get; }

    public string Root { get; }

    public string Data => Path.Combine(Root, "data");

    public string Reports => Path.Combine(Root, "report");

    public string Url { get; }

    public MigrationRunStore Store => App.Services.GetRequiredService<MigrationRunStore>();

    /// <summary>Writes the data with <paramref name="writeData"/> (given the data directory), then starts the worker.</summary>
    public static async Task<RunningWorker> StartAsync(string name, Func<string, Task> writeData)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(name);
        var root = Directory.CreateTempSubdirectory($"ktrdr-{name}-").FullName;
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        await writeData(data);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Ports.Free()}");
        var app = await WorkerApp.StartAsync(url, WorkerApp.Settings(connectionString, data, Path.Combine(root, "report")));
        return new RunningWorker(app, root, url);
    }

    /// <summary>
    /// Waits for the latest run to be final (and, when given, to have reached <paramref name="state"/>); fails the test
    /// after 3 minutes or when <paramref name="cancellationToken"/> (a test's [CancelAfter]) fires.
    /// </summary>
    public async Task<MigrationRun> WaitForFinishedRunAsync(RunState? state = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            var run = (await Store.ListRunsAsync(1, CancellationToken.None)).FirstOrDefault();
            if (run is not null && run.State.IsFinal() && (state is null || run.State == state))
            {
                return run;
            }

            if (limit.IsCancellationRequested)
            {
                Assert.Fail(run is null ? "no migration run was started" : $"run {run.Id} did not finish as {state?.ToText() ?? "final"}: {run.State.ToText()}");
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
