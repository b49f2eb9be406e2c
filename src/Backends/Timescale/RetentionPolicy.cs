namespace Ktrdr.Backends.Timescale;

/// <summary>
/// A retention policy on <c>price_data</c>: its job drops every chunk whose data is older than
/// <see cref="Cutoff"/> (<c>now() - drop_after</c>), so bars before the cutoff are deleted at its next run.
/// </summary>
/// <param name="JobId">The policy's job.</param>
/// <param name="DropAfter">Its <c>drop_after</c> as configured (<c>10 years</c>), or its <c>drop_created_before</c>.</param>
/// <param name="Cutoff">
/// <c>now() - drop_after</c> as the server computes it now; null for a policy on creation time
/// (<c>drop_created_before</c>), which does not depend on the bars' own times.
/// </param>
/// <param name="Scheduled">Whether the scheduler runs it.</param>
public sealed record RetentionPolicy(int JobId, string DropAfter, DateTime? Cutoff, bool Scheduled)
{
    /// <summary>One line for messages: which job, what it keeps, where the cutoff is.</summary>
    public string Describe() => Cutoff is { } cutoff
        ? FormattableString.Invariant($"retention policy job {JobId} on price_data (drop_after {DropAfter}{(Scheduled ? "" : ", paused")}): cutoff {cutoff:yyyy-MM-dd HH:mm:ss} UTC (now() - drop_after)")
        : FormattableString.Invariant($"retention policy job {JobId} on price_data (drop_created_before {DropAfter}{(Scheduled ? "" : ", paused")})");
}
