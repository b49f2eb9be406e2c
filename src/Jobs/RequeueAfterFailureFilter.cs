using Hangfire.Common;
using Hangfire.States;

namespace Ktrdr.Jobs;

/// <summary>
/// Marks a job that a person requeued after it failed (the dashboard's "Requeue": Failed → Enqueued) with the job
/// parameter <see cref="ParameterName"/>, which the job reads from its <c>PerformContext</c> instead of reading the job's
/// history. Any other way to the queue clears the mark: an automatic retry (Scheduled → Enqueued) and a redelivery after
/// a worker crash or shutdown (Processing → Processing), so a file that kills the worker cannot reopen itself forever.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RequeueAfterFailureFilter : JobFilterAttribute, IElectStateFilter
{
    /// <summary>The job parameter: true while the job's current run follows a person's requeue of its failure.</summary>
    public const string ParameterName = "RequeuedAfterFailure";

    /// <inheritdoc />
    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Decide(context.CurrentState, context.CandidateState?.Name) is { } requeued)
        {
            context.SetJobParameter(ParameterName, requeued);
        }
    }

    /// <summary>
    /// The mark for a move from <paramref name="currentState"/> (null: the job is being created) to
    /// <paramref name="candidateState"/>: true, false, or null to leave it as it is (most moves, so that the common path
    /// costs no write).
    /// </summary>
    public static bool? Decide(string? currentState, string? candidateState)
    {
        if (candidateState == EnqueuedState.StateName)
        {
            return currentState is null ? null : currentState == FailedState.StateName;
        }

        return candidateState == ProcessingState.StateName && currentState == ProcessingState.StateName ? false : null;
    }
}
