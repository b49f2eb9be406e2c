namespace Ktrdr.Jobs;

/// <summary>
/// What became of a file's data lines, and the accounting identity the migration promises: every line read is in
/// exactly one of <see cref="Inserted"/>, <see cref="AlreadyPresent"/>, <see cref="Conflicting"/>, <see cref="Rejected"/>,
/// <see cref="OutsideRange"/> and <see cref="OlderThanRetention"/> (<see cref="Balances"/>). <see cref="Normalized"/> is
/// informational: bars among the imported ones whose -1 volume was stored as 0. The counts of several files add up
/// with <c>+</c> (<see cref="Sum"/>): the run totals of the report, <c>operations</c> and the dashboard are such sums.
/// </summary>
public readonly record struct ItemCounts
{
    /// <summary>Data lines read from the file (the header is not one).</summary>
    public long Read { get; init; }

    /// <summary>Bars written.</summary>
    public long Inserted { get; init; }

    /// <summary>Bars stored before with the same values, and exact repeats within the file.</summary>
    public long AlreadyPresent { get; init; }

    /// <summary>Bars stored before with other values (not written).</summary>
    public long Conflicting { get; init; }

    /// <summary>Lines rejected (each one is in <c>rejected_rows</c>).</summary>
    public long Rejected { get; init; }

    /// <summary>Lines whose bar lies outside the run's <see cref="ImportRange"/> (gap filling): read, not imported.</summary>
    public long OutsideRange { get; init; }

    /// <summary>Good bars left out because they are older than a retention policy's cutoff (the run chose to skip them).</summary>
    public long OlderThanRetention { get; init; }

    /// <summary>Bars whose -1 volume was stored as 0; not a category of the identity (they are also inserted, present or conflicting).</summary>
    public long Normalized { get; init; }

    /// <summary>The lines the categories account for: <see cref="Read"/> when the counts balance.</summary>
    public long Accounted => Inserted + AlreadyPresent + Conflicting + Rejected + OutsideRange + OlderThanRetention;

    /// <summary>True when every line read is in exactly one category.</summary>
    public bool Balances => Read == Accounted;

    /// <summary>The identity in words, for messages: <c>read 10 = inserted 7 + already present 1 + ...</c> (a category that is 0 outside the first four is left out).</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"read {Read} {(Balances ? "=" : "!=")} inserted {Inserted} + already present {AlreadyPresent} + conflicting {Conflicting} + rejected {Rejected}" +
        $"{(OutsideRange == 0 ? "" : $" + outside the range {OutsideRange}")}{(OlderThanRetention == 0 ? "" : $" + older than retention {OlderThanRetention}")}");

    public static ItemCounts operator +(ItemCounts left, ItemCounts right) => new()
    {
        Read = left.Read + right.Read,
        Inserted = left.Inserted + right.Inserted,
        AlreadyPresent = left.AlreadyPresent + right.AlreadyPresent,
        Conflicting = left.Conflicting + right.Conflicting,
        Rejected = left.Rejected + right.Rejected,
        OutsideRange = left.OutsideRange + right.OutsideRange,
        OlderThanRetention = left.OlderThanRetention + right.OlderThanRetention,
        Normalized = left.Normalized + right.Normalized,
    };

    /// <summary>The same as <c>left + right</c>.</summary>
    public static ItemCounts Add(ItemCounts left, ItemCounts right) => left + right;

    /// <summary>The counts of several files together; zero for none.</summary>
    public static ItemCounts Sum(IEnumerable<ItemCounts> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Aggregate(default(ItemCounts), (total, next) => total + next);
    }
}
