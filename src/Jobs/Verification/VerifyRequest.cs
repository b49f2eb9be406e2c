namespace Ktrdr.Jobs.Verification;

/// <summary>What <c>verify</c> compares. Empty lists mean every symbol or timeframe found in the data directory.</summary>
/// <param name="DataDir">The CSV store.</param>
/// <param name="Symbols">Only these symbols.</param>
/// <param name="Timeframes">Only these timeframes.</param>
/// <param name="Parallelism">Series compared at once (each streams its file and its rows; memory stays flat).</param>
public sealed record VerifyRequest(string DataDir, IReadOnlyList<string> Symbols, IReadOnlyList<string> Timeframes, int Parallelism)
{
    /// <summary>Compare symbolic links to files outside the data directory too (skipped, as by the migration, otherwise).</summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>Compare only the bars of this range, on both sides (after a gap-filling run); the whole files by default.</summary>
    public ImportRange Range { get; init; } = ImportRange.All;

    /// <summary>Series compared at once unless told otherwise, by <c>./ktrdr verify</c> and a run's verification job alike.</summary>
    public static int DefaultParallelism { get; } = Math.Max(2, Environment.ProcessorCount);
}
