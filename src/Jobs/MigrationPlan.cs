namespace Ktrdr.Jobs;

/// <summary>The files a migration would import, with the estimates shown before asking to continue.</summary>
public sealed record MigrationPlan(MigrationRequest Request, IReadOnlyList<PlannedFile> Files)
{
    /// <summary>Files of the data directory whose names are not a valid <c>SYMBOL_TIMEFRAME.csv</c>: never imported.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    /// <summary>Things to know before importing, such as symbols that differ only in case.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Bars before this time are left out of the run and counted as older than retention (the choice
    /// <c>--skip-older-than-retention</c>, and heal runs under a retention policy); null: every bar is imported.
    /// </summary>
    public DateTime? RetentionCutoff { get; init; }

    public long TotalBytes => Files.Sum(f => f.Size);

    public long EstimatedRows => Files.Sum(f => f.EstimatedRows);

    /// <summary>Rough on-disk size in PostgreSQL: about 120 bytes a row with the primary key (heap plus index).</summary>
    public long EstimatedDiskBytes => EstimatedRows * 120;
}
