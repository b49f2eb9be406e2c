using System.Diagnostics;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Reports;
using Ktrdr.Jobs.Telemetry;

namespace Ktrdr.Jobs;

/// <summary>
/// The platform's <c>csv_import.import_all</c>: one span per run, for the run as a whole. A run's files are imported by
/// jobs on any number of processes, and no process waits for all of them (<c>--no-wait</c>, the dashboard, the nightly
/// heal), so the span is recorded where the whole is known: by the run's verification job, once the report is written,
/// with its start set to the run's start (<c>migration_runs.started_at</c>). Its duration is the run's, from planning
/// to report, and it sits in the run's trace beside <c>migration.verify_run</c>, under the verification's job span (so it starts before
/// that span: it covers the run, which began before its verification).
/// </summary>
public static class ImportAllSpan
{
    /// <summary>Records the span of <paramref name="run"/> from its <paramref name="report"/> (nothing when nobody listens).</summary>
    /// <param name="run">The run.</param>
    /// <param name="report">Its report, just written.</param>
    /// <param name="parent">The span it goes under (the verification's Hangfire job span).</param>
    /// <param name="now">The end of the run.</param>
    public static void Record(MigrationRun run, MigrationReport report, ActivityContext parent, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(report);
        var started = DateTime.SpecifyKind(run.StartedAt, DateTimeKind.Utc);
        using var activity = KtrdrActivity.Source.StartActivity(JobPlatformSpans.ImportAll, ActivityKind.Internal,
            parent, startTime: new DateTimeOffset(started));
        if (activity is null)
        {
            return;
        }

        var s = report.Summary;
        activity.SetTag(JobPlatformSpans.OperationId, $"run:{run.Id}");
        activity.SetTag(JobPlatformSpans.OperationType, JobPlatformSpans.DataMigration);
        activity.SetTag(JobPlatformSpans.TotalSymbols, s.TotalSymbols);
        activity.SetTag(JobPlatformSpans.TotalRowsImported, s.Inserted);
        activity.SetTag(JobPlatformSpans.TotalRowsSkipped, s.TotalRows - s.Inserted);
        activity.SetTag(JobPlatformSpans.WarningsCount, s.Rejected + s.Conflicting + report.Warnings.Count);
        activity.SetTag(JobPlatformSpans.DurationMs, (long)Math.Max((now - started).TotalMilliseconds, 0));
        activity.SetTag(JobSpans.RunId, run.Id);
        activity.SetTag(JobSpans.Files, s.TotalSeries);
        activity.SetTag("ktrdr.run.status", report.Status.ToText());
        if (!report.Success)
        {
            activity.SetStatus(ActivityStatusCode.Error, $"{s.Failed} of {s.TotalSeries} files failed or did not verify");
        }

        activity.SetEndTime(now);
    }
}
