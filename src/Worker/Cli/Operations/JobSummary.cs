using Hangfire.Common;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary>One Hangfire job as <c>operations list</c> shows it.</summary>
/// <param name="Id">Hangfire's job id.</param>
/// <param name="Name">The job's display name (for example "Import AAPL 1d (item 4)").</param>
/// <param name="State">Hangfire's state: Enqueued, Scheduled, Processing, Succeeded or Failed.</param>
/// <param name="At">When it entered that state (UTC).</param>
/// <param name="Duration">How long it ran (succeeded) or has been running (processing).</param>
/// <param name="Error">The exception of a failed job, or the reason of a retry.</param>
/// <param name="Job">The method and arguments, when they can be loaded.</param>
internal sealed record JobSummary(string Id, string Name, string State, DateTime? At, TimeSpan? Duration, string? Error, Job? Job);
