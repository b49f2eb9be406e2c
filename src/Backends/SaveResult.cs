namespace Ktrdr.Backends;

/// <summary>
/// What a save did with each bar it was given: every bar lands in exactly one of the three counts.
/// </summary>
/// <param name="Inserted">Bars that were not stored before and now are.</param>
/// <param name="AlreadyPresent">Bars stored before with exactly the same values (not written again).</param>
/// <param name="Conflicting">Bars stored before with other values: left as they were, never overwritten.</param>
/// <param name="FirstConflicts">The first conflicting bars (the incoming values), for reports.</param>
public sealed record SaveResult(long Inserted, long AlreadyPresent, long Conflicting, IReadOnlyList<Bar> FirstConflicts)
{
    /// <summary>How many conflicting bars <see cref="FirstConflicts"/> keeps at most.</summary>
    public const int ConflictSample = 10;

    public static SaveResult Empty { get; } = new(0, 0, 0, []);

    public long Total => Inserted + AlreadyPresent + Conflicting;
}
