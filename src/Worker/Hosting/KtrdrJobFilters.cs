using Hangfire;
using Hangfire.Common;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The job filters of one host, as the <see cref="IJobFilterProvider"/> its container hands to Hangfire: the server
/// (<c>AddHangfireServer</c> and our own servers take <c>FilterProvider</c> from the container), the client and the
/// recurring-job manager (Hangfire.NetCore's <c>DefaultClientManagerFactory</c>) and the dashboard's requeue and delete
/// (its job client comes from the same factory). Nothing is added to or removed from Hangfire's process-wide
/// <see cref="GlobalJobFilters"/>, so two hosts in one process (the tests build many) keep their own retry settings.
/// </summary>
internal static class KtrdrJobFilters
{
    /// <summary>
    /// Hangfire's default global filters with our retry policy in place of its <see cref="AutomaticRetryAttribute"/>,
    /// the tracing filter, and the filters declared as attributes on the jobs (<see cref="RequeueAfterFailureFilter"/>,
    /// a job's own <c>[AutomaticRetry]</c>, which overrides the global one as before).
    /// </summary>
    public static IJobFilterProvider Create(HangfireOptions options, MigrationOptions migration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(migration);
        var filters = new JobFilterCollection();

        // Hangfire's defaults (culture capture, statistics, continuations) are read, never changed: a later Hangfire
        // version's new default keeps working.
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is not AutomaticRetryAttribute))
        {
            filters.Add(filter.Instance, filter.Order);
        }

        var delays = options.RetryDelaySeconds();

        // Permanent failures are not retried; the item's attempts counter bounds the rest (MigrationOptions).
        filters.Add(new AutomaticRetryAttribute
        {
            Attempts = migration.RetryAttempts,
            DelaysInSeconds = delays.Length == 0 ? [10] : delays,
            ExceptOn = [typeof(ImportFailedException)],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
        filters.Add(new HangfireTracingFilter());
        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}
