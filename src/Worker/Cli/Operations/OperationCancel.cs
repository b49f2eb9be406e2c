using System.Globalization;
using Hangfire;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary>
/// <c>operations cancel RUN</c>: stops an importing run for good. The run becomes cancelled with the reason as its
/// error (no verification and no report follow), its unfinished files fail with the error "cancelled", and their
/// Hangfire jobs are deleted (a running import notices at its next heartbeat and stops; its committed batches stay).
/// </summary>
internal static class OperationCancel
{
    public static async Task<int> RunAsync(IServiceProvider services, string id, TextWriter output, CancellationToken ct)
    {
        var runId = ParseRunId(id);
        var store = services.GetRequiredService<MigrationRunStore>();
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"cancelled by './ktrdr operations cancel' at {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; unfinished files failed as cancelled; no verification or report was made");
        var jobIds = await services.GetRequiredService<RunLifecycleStore>().CancelAsync(runId, reason, ct);
        if (jobIds is null)
        {
            var run = await store.GetRunAsync(runId, ct);
            await Console.Error.WriteLineAsync(run is null
                ? $"error: no run {runId}: see './ktrdr operations list' for the ids"
                : $"error: run {runId} is {run.State.ToText()}, not importing: only an importing run can be cancelled{(run.State == RunState.Verifying ? " (every file is final; its verification writes the report)" : "")}");
            return CliErrorBoundary.Failed;
        }

        // After the run's rows changed, so that a job dequeued in between finds its item final and does nothing.
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        var deleted = jobIds.Count(jobs.Delete);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"run:{runId} cancelled: {jobIds.Count} unfinished files failed as cancelled, {deleted} import jobs deleted"));
        return CliErrorBoundary.Ok;
    }

    private static long ParseRunId(string id)
    {
        var text = id.Trim();
        var digits = text.StartsWith("run:", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"run id '{id}' is not valid: use run:N or N as 'operations list' shows it");
    }
}
