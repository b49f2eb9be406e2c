namespace Ktrdr.Backends;

/// <summary>What an importer must know of the bar table before it writes: what fits a key, and how the table is chunked.</summary>
public interface IPriceTableFacts
{
    /// <summary>
    /// The longest symbol and timeframe the table can hold (in characters); null for an unbounded column, or when
    /// there is no table yet. Read-only.
    /// </summary>
    Task<(int? Symbol, int? Timeframe)> KeyLengthsAsync(CancellationToken cancellationToken);

    /// <summary>The time span of one chunk when the table is a hypertable; null for a plain table. Read-only.</summary>
    Task<TimeSpan?> ChunkIntervalAsync(CancellationToken cancellationToken);
}
