namespace Ktrdr.Backends.Timescale;

/// <summary>
/// What an existing <c>price_data</c> is: columns, constraints, keys, indexes, hypertable dimensions, compression and
/// the policies that act on it. Read by <see cref="PriceDataInspector"/>; compared with the shape the migration
/// creates by <see cref="PriceDataDifferences"/>.
/// </summary>
public sealed record PriceDataShape(
    bool Exists,
    IReadOnlyList<TableColumn> Columns,
    IReadOnlyList<string> Checks,
    IReadOnlyList<TableIndex> Indexes,
    IReadOnlyList<HypertableDimension> Dimensions,
    string? CompressionSegmentBy,
    string? CompressionOrderBy,
    IReadOnlyList<TablePolicy> Policies,
    IReadOnlyList<string> ContinuousAggregates,
    RetentionPolicy? Retention)
{
    /// <summary>No table.</summary>
    public static PriceDataShape Missing { get; } = new(false, [], [], [], [], null, null, [], [], null);

    /// <summary>The (symbol, timeframe, time) key columns a unique index must cover, in any order.</summary>
    public static IReadOnlyList<string> SeriesKeyColumns { get; } = ["symbol", "timeframe", "time"];

    /// <summary>Whether a unique index (or primary key) covers exactly (symbol, timeframe, time): the database then refuses a second bar at one time.</summary>
    public bool HasUniqueSeriesKey => Indexes.Any(i => i.IsUnique && !i.IsPartialOrExpression
        && i.Columns.Count == SeriesKeyColumns.Count && SeriesKeyColumns.All(i.Columns.Contains));

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public TableColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Whether it is a hypertable.</summary>
    public bool IsHypertable => Dimensions.Count > 0;
}
