using System.Globalization;
using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary>
/// Reads jobs from Hangfire's storage through its monitoring API: works whether or not a worker is running, and
/// changes nothing.
/// </summary>
internal sealed class HangfireJobs(JobStorage storage)
{
    private readonly IMonitoringApi _api = storage.GetMonitoringApi();

    /// <summary>The newest jobs in every state, newest first.</summary>
    public IReadOnlyList<JobSummary> Recent(int limit)
    {
        var now = DateTime.UtcNow;
        var jobs = new List<JobSummary>();
        jobs.AddRange(_api.ProcessingJobs(0, limit).Select(j => Summary(j.Key, j.Value.Job, ProcessingState.StateName, j.Value.StartedAt,
            j.Value.StartedAt is { } s ? now - s : null, null)));
        foreach (var queue in _api.Queues())
        {
            jobs.AddRange(_api.EnqueuedJobs(queue.Name, 0, limit).Select(j => Summary(j.Key, j.Value.Job, EnqueuedState.StateName, j.Value.EnqueuedAt, null, null)));
        }

        jobs.AddRange(_api.ScheduledJobs(0, limit).Select(j => Summary(j.Key, j.Value.Job, ScheduledState.StateName, j.Value.ScheduledAt, null, null)));
        jobs.AddRange(_api.FailedJobs(0, limit).Select(j => Summary(j.Key, j.Value.Job, FailedState.StateName, j.Value.FailedAt, null,
            $"{ShortType(j.Value.ExceptionType)}: {j.Value.ExceptionMessage}")));
        jobs.AddRange(_api.SucceededJobs(0, limit).Select(j => Summary(j.Key, j.Value.Job, SucceededState.StateName, j.Value.SucceededAt,
            RunTime(j.Value), null)));
        return jobs.DistinctBy(j => j.Id).OrderByDescending(j => Order(j.Id)).ThenByDescending(j => j.At).Take(limit).ToList();
    }

    /// <summary>One job with its state history, or null when the storage has no such job (or it expired).</summary>
    public JobDetailsDto? Details(long id) => _api.JobDetails(id.ToString(CultureInfo.InvariantCulture));

    /// <summary>Live servers (a recent heartbeat: <see cref="WorkerLiveness"/>) and the total registered.</summary>
    public (IReadOnlyList<ServerDto> Alive, int Registered) Servers()
    {
        var servers = _api.Servers();
        var now = DateTime.UtcNow;
        return (servers.Where(s => WorkerLiveness.IsAlive(s.Heartbeat, now)).ToList(), servers.Count);
    }

    /// <summary>The job's display name with its arguments, as the dashboard shows it.</summary>
    public static string Name(Job? job)
    {
        if (job is null)
        {
            return "(job type cannot be loaded)";
        }

        var display = job.Method.GetCustomAttribute<JobDisplayNameAttribute>()?.DisplayName;
        if (display is null)
        {
            return $"{job.Type.Name}.{job.Method.Name}";
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, display, [.. job.Args]);
        }
        catch (FormatException)
        {
            return display;
        }
    }

    /// <summary>How long the job ran (Hangfire's total also counts the wait in the queue).</summary>
    private static TimeSpan? RunTime(SucceededJobDto job) =>
        job.StateData is { } data && data.TryGetValue("PerformanceDuration", out var ms) && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? TimeSpan.FromMilliseconds(value)
            : job.TotalDuration is { } total ? TimeSpan.FromMilliseconds(total) : null;

    public static string ShortType(string? type) => type is null ? "error" : type[(type.LastIndexOf('.') + 1)..];

    private static JobSummary Summary(string id, Job? job, string state, DateTime? at, TimeSpan? duration, string? error) =>
        new(id, Name(job), state, at, duration, error, job);

    private static long Order(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
