using System.CommandLine;
using System.Globalization;
using Hangfire;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary>
/// <c>operations list</c> and <c>operations status ID</c>: migration runs (from the run tables) and Hangfire jobs (from
/// its storage), with state, progress, duration and errors; <c>operations cancel RUN</c> stops a run. No worker needs
/// to be running.
/// </summary>
internal static class OperationsCommand
{
    public static Command Create()
    {
        var operations = new Command("operations", "Migration runs and background jobs: state, progress, duration, errors");
        var limit = new Option<int>("--limit") { Description = "How many runs and how many jobs to show", DefaultValueFactory = _ => 10 };
        var list = new Command("list", "Recent migration runs and jobs") { limit };
        list.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 1000)
            {
                throw new ArgumentException($"--limit {count}: use 1 to 1000");
            }

            await ListAsync(services, count, output, ct);
            return CliErrorBoundary.Ok;
        }));

        var id = new Argument<string>("id") { Description = "run:N or job:N as 'operations list' shows them (a bare number is a run when one exists, else a job)" };
        var status = new Command("status", "One run or job in detail, with its errors") { id };
        status.SetAction((parse, ct) => KtrdrCli.RunWith(parse, (services, output) =>
            OperationStatus.WriteAsync(services, parse.GetValue(id)!, output, ct)));

        var runId = new Argument<string>("run") { Description = "run:N (or N) as 'operations list' shows it" };
        var cancel = new Command("cancel", "Stop an importing run: delete its pending and running import jobs, fail its unfinished files as cancelled, close the run") { runId };
        cancel.SetAction((parse, ct) => KtrdrCli.RunWith(parse, (services, output) =>
            OperationCancel.RunAsync(services, parse.GetValue(runId)!, output, ct)));

        operations.Subcommands.Add(list);
        operations.Subcommands.Add(cancel);
        operations.Subcommands.Add(status);
        return operations;
    }

    private static async Task ListAsync(IServiceProvider services, int limit, TextWriter output, CancellationToken ct)
    {
        var store = services.GetRequiredService<MigrationRunStore>();
        var runs = new TextTable("id", "state", "started", "duration", "files", "failed", "verified", "rows", "error");
        foreach (var run in await store.ListRunsAsync(limit, ct))
        {
            var items = await store.GetItemsAsync(run.Id, ct);
            var totals = RunTotals.Of(items);
            runs.Add($"run:{run.Id}", run.State.ToText(), OperationText.Time(run.StartedAt), OperationText.Duration(run.StartedAt, run.FinishedAt),
                $"{totals.Final}/{totals.Files}", totals.Failed.ToString(CultureInfo.InvariantCulture),
                $"{totals.Verified}/{totals.Files}", OperationText.Count(totals.RowsDone),
                OperationText.Cell(run.Error ?? items.FirstOrDefault(i => i.Error is not null)?.Error, 60));
        }

        await output.WriteLineAsync("migration runs:");
        await runs.WriteAsync(output);
        var quality = await services.GetRequiredService<Jobs.Quality.QualityStore>().LatestAsync(ct);
        if (quality.Count > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"data quality (latest check of each series): {quality.Sum(q => q.Findings):N0} finding(s) in {quality.Count(q => q.Findings > 0)} of {quality.Count} series; 'operations status run:N' lists a run's, 'data quality --all' checks again"));
        }

        var hangfire = new HangfireJobs(services.GetRequiredService<JobStorage>());
        var jobs = new TextTable("id", "job", "state", "since", "duration", "progress", "error");
        foreach (var job in hangfire.Recent(limit))
        {
            jobs.Add($"job:{job.Id}", job.Name, job.State, OperationText.Time(job.At), OperationText.Duration(job.Duration),
                await ProgressAsync(store, job, ct), OperationText.Cell(job.Error, 60));
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("recent jobs:");
        await jobs.WriteAsync(output);

        var (alive, registered) = hangfire.Servers();
        await output.WriteLineAsync();
        await output.WriteLineAsync(alive.Count == 0
            ? $"workers: none running ({registered} registered without a recent heartbeat); enqueued jobs wait for './ktrdr serve'"
            : $"workers: {alive.Count} running ({string.Join(", ", alive.Select(s => $"{s.Name} with {s.WorkersCount} workers"))})");
    }

    /// <summary>An import job's rows so far (from its run item), a verification job's run; "-" for other jobs.</summary>
    private static async Task<string> ProgressAsync(MigrationRunStore store, JobSummary job, CancellationToken ct)
    {
        if (job.Job?.Type == typeof(ImportFileJob) && job.Job.Args[0] is long itemId && await store.GetItemAsync(itemId, ct) is { } item)
        {
            return $"{OperationText.Count(item.RowsDone)} rows, item {item.State.ToText()}";
        }

        return job.Job?.Type == typeof(VerifyRunJob) && job.Job.Args[0] is long runId ? $"run:{runId}" : "-";
    }
}
