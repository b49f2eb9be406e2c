using System.Reflection;
using Hangfire.States;
using Ktrdr.Jobs;

namespace Ktrdr.Tests.Jobs;

/// <summary>Which moves of a job mark it as requeued by a person after a failure (the item is then reopened).</summary>
public sealed class RequeueAfterFailureFilterTests
{
    [Test]
    public void A_failed_job_requeued_from_the_dashboard_is_marked() =>
        Assert.That(RequeueAfterFailureFilter.Decide(FailedState.StateName, EnqueuedState.StateName), Is.True);

    [Test]
    public void An_automatic_retry_clears_the_mark() =>
        Assert.That(RequeueAfterFailureFilter.Decide(ScheduledState.StateName, EnqueuedState.StateName), Is.False);

    [Test]
    public void A_redelivery_after_a_worker_crash_clears_the_mark_so_a_crashing_file_cannot_reopen_itself() =>
        Assert.That(RequeueAfterFailureFilter.Decide(ProcessingState.StateName, ProcessingState.StateName), Is.False);

    [TestCase(null, "Enqueued")]
    [TestCase("Enqueued", "Processing")]
    [TestCase("Processing", "Failed")]
    [TestCase("Processing", "Succeeded")]
    [TestCase("Failed", "Deleted")]
    public void Other_moves_leave_the_mark_as_it_is(string? current, string candidate) =>
        Assert.That(RequeueAfterFailureFilter.Decide(current, candidate), Is.Null);

    [Test]
    public void The_import_job_carries_the_filter() =>
        Assert.That(typeof(ImportFileJob).GetCustomAttribute<RequeueAfterFailureFilter>(), Is.Not.Null,
            "without it a requeued failed file is never reopened");
}
