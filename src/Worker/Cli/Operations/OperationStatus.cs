using System.Globalization;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage.Monitoring;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary><c>operations status ID</c>: one run with its items and errors, or one job with its state history.</summary>
internal static class OperationStatus
{
    public static async Task<int> WriteAsync(IServiceProvider services, string id, TextWriter output, CancellationToken ct)
    {
        var store = services.GetRequiredService<MigrationRunStore>();
        var hangfire = new HangfireJobs(services.GetRequiredService<JobStorage>());
        var (kind, number) = Parse(id);
        if (kind is "run" or null && await store.GetRunAsync(number, ct) is { } run)
        {
            await WriteRunAsync(store, run, output, ct);
            var quality = services.GetRequiredService<Jobs.Quality.QualityStore>();
            await QualityText.WriteStoredAsync(quality, await quality.ForRunAsync(run.Id, ct), 5, output, ct);
            return CliErrorBoundary.Ok;
        }

        if (kind is "job" or null && hangfire.Details(number) is { } job)
        {
            await WriteJobAsync(store, number, job, output, ct);
            return CliErrorBoundary.Ok;
        }

        await Console.Error.WriteLineAsync($"error: no {kind ?? "run or job"} {number}: see './ktrdr operations list' for the ids (finished jobs expire from Hangfire's storage after a day)");
        return CliErrorBoundary.Failed;
    }

    private static (string? Kind, long Number) Parse(string id)
    {
        var text = id.Trim();
        var cut = text.IndexOfAny([':', '-']);
        var kind = cut > 0 ? text[..cut].ToLowerInvariant() : null;
        var digits = cut > 0 ? text[(cut + 1)..] : text;
        if (kind is not (null or "run" or "job") || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new ArgumentException($"operation id '{id}' is not valid: use run:N or job:N as 'operations list' shows them");
        }

        return (kind, number);
    }

    private static async Task WriteRunAsync(MigrationRunStore store, MigrationRun run, TextWriter output, CancellationToken ct)
    {
        var items = await store.GetItemsAsync(run.Id, ct);
        var totals = RunTotals.Of(items);
        await output.WriteLineAsync($"run:{run.Id}  {run.State.ToText()}");
        await output.WriteLineAsync($"  started       {OperationText.Time(run.StartedAt)}");
        await output.WriteLineAsync($"  finished      {OperationText.Time(run.FinishedAt)}");
        await output.WriteLineAsync($"  duration      {OperationText.Duration(run.StartedAt, run.FinishedAt)}");
        await output.WriteLineAsync($"  data dir      {run.DataDir}");
        if (!run.Range.IsAll)
        {
            await output.WriteLineAsync($"  range         {run.Range.Describe()}");
        }
        await output.WriteLineAsync($"  report        {run.ReportPath ?? "-"}");
        await output.WriteLineAsync($"  verification  {(run.VerificationJobId is { } v ? $"job:{v}" : run.VerificationEnqueued ? "enqueued" : "waits for the imports")}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  progress      {totals.Final}/{totals.Files} files final ({totals.Succeeded} succeeded, {totals.Failed} failed, {totals.Processing} processing), {totals.Verified} verified, {totals.RowsDone:N0} rows read"));
        await output.WriteLineAsync();
        // The "outside range" count only for a gap-filling run: a whole-file run has none.
        var ranged = !run.Range.IsAll;
        var table = new TextTable(["symbol", "timeframe", "state", "attempts", "rows", "inserted", "present", "conflicting", "rejected",
            .. ranged ? new[] { "outside range" } : [], "verified", "duration", "job"]);
        foreach (var i in items)
        {
            table.Add([i.Symbol, i.Timeframe, i.State.ToText(), i.Attempts.ToString(CultureInfo.InvariantCulture), OperationText.Count(i.RowsDone), OperationText.Count(i.Inserted),
                OperationText.Count(i.AlreadyPresent), OperationText.Count(i.Conflicting), OperationText.Count(i.Rejected),
                .. ranged ? new[] { OperationText.Count(i.OutsideRange) } : [],
                i.Verified switch { true => "yes", false => "NO", null => "-" }, OperationText.Duration(i.StartedAt, i.FinishedAt), i.JobId is { } j ? $"job:{j}" : "-"]);
        }

        await table.WriteAsync(output);
        var errors = items.Where(i => i.Error is not null || i.Verified == false).ToList();
        if (run.Error is not null || errors.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("errors:");
            if (run.Error is not null)
            {
                await output.WriteLineAsync($"  run: {run.Error}");
            }

            foreach (var i in errors)
            {
                await output.WriteLineAsync($"  {i.Symbol} {i.Timeframe}: {i.Error ?? i.VerifyMessage}");
            }
        }
    }

    private static async Task WriteJobAsync(MigrationRunStore store, long id, JobDetailsDto job, TextWriter output, CancellationToken ct)
    {
        var history = job.History ?? [];
        var current = history.FirstOrDefault();
        await output.WriteLineAsync($"job:{id}  {HangfireJobs.Name(job.Job)}  {current?.StateName ?? "unknown"}");
        await output.WriteLineAsync($"  method    {(job.Job is { } j ? $"{j.Type.FullName}.{j.Method.Name}" : "-")}");
        await output.WriteLineAsync($"  created   {OperationText.Time(job.CreatedAt)}");
        var started = history.LastOrDefault(h => h.StateName == ProcessingState.StateName)?.CreatedAt;
        var ended = history.FirstOrDefault(h => h.StateName == SucceededState.StateName || h.StateName == FailedState.StateName || h.StateName == DeletedState.StateName)?.CreatedAt;
        await output.WriteLineAsync($"  duration  {(started is null ? "-" : OperationText.Duration(started, ended))}{(ended is null && started is not null ? " (running)" : "")}");
        if (job.Job?.Type == typeof(ImportFileJob) && job.Job.Args[0] is long itemId && await store.GetItemAsync(itemId, ct) is { } item)
        {
            await output.WriteLineAsync($"  item      {item.Symbol} {item.Timeframe} of run:{item.RunId}: {item.State.ToText()}, attempt {item.Attempts}, {OperationText.Count(item.RowsDone)} rows, file {item.FilePath}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("state history (newest first):");
        foreach (var state in history)
        {
            await output.WriteLineAsync($"  {OperationText.Time(state.CreatedAt)}  {state.StateName,-10}  {state.Reason}".TrimEnd());
        }

        var failures = history.Where(h => h.Data is not null && h.Data.ContainsKey("ExceptionMessage")).ToList();
        if (failures.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("errors:");
            foreach (var failure in failures)
            {
                await output.WriteLineAsync($"  {OperationText.Time(failure.CreatedAt)}  {HangfireJobs.ShortType(failure.Data.TryGetValue("ExceptionType", out var type) ? type : null)}: {failure.Data["ExceptionMessage"]}");
            }
        }
    }
}
