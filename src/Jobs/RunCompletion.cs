using Hangfire;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Jobs;

/// <summary>
/// The fan-in. Called after every item reaches a final state; the one caller that sees the whole run final enqueues the
/// verification job. Built on the run's own row (not Hangfire continuations, which wait on Failed parents forever).
/// </summary>
public sealed partial class RunCompletion(MigrationRunStore store, IBackgroundJobClient jobs, ILogger<RunCompletion> logger)
{
    /// <summary>Enqueues the run's verification when this call is the one that completes the run.</summary>
    /// <returns>The verification job id, or null when the run is not complete or another caller got there first.</returns>
    public async Task<string?> ItemFinishedAsync(long runId, CancellationToken cancellationToken)
    {
        if (!await store.TryClaimVerificationAsync(runId, cancellationToken))
        {
            return null;
        }

        return EnqueueVerification(runId);
    }

    /// <summary>Enqueues run <paramref name="runId"/>'s verification job (which runs once: it claims the run first).</summary>
    public string EnqueueVerification(long runId)
    {
        var jobId = jobs.Enqueue<VerifyRunJob>(job => job.RunAsync(runId, null, CancellationToken.None));
        LogVerificationEnqueued(runId, jobId);
        return jobId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: every import is final; verification job {VerificationJobId} enqueued")]
    private partial void LogVerificationEnqueued(long runId, string verificationJobId);
}
