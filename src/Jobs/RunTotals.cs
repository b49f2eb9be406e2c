namespace Ktrdr.Jobs;

/// <summary>
/// A run's files summed up, the one place that counts them: the report, <c>operations</c>, <c>migrate</c>'s summary and
/// the dashboard's Migration page read these figures instead of adding up the items themselves.
/// </summary>
/// <param name="Files">Items of the run.</param>
/// <param name="Final">Items succeeded or failed.</param>
/// <param name="Succeeded">Items imported.</param>
/// <param name="Failed">Items failed.</param>
/// <param name="Processing">Items being imported now.</param>
/// <param name="Verified">Items imported and verified equal to their file.</param>
/// <param name="RowsDone">Lines read so far, finished items and those under way.</param>
/// <param name="Counted">Items whose import finished, so that their counts are known.</param>
/// <param name="Counts">The counts of the <paramref name="Counted"/> items together.</param>
public sealed record RunTotals(int Files, int Final, int Succeeded, int Failed, int Processing, int Verified, long RowsDone, int Counted, ItemCounts Counts)
{
    /// <summary>Items imported and verified: the ones a report calls ok (<see cref="Reports.ReportStatusText.Of"/>).</summary>
    public int Ok { get; init; }

    public static RunTotals Of(IReadOnlyCollection<MigrationItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var counted = items.Where(i => i.Counts is not null).ToList();
        return new RunTotals(
            items.Count,
            items.Count(i => i.IsFinal),
            items.Count(i => i.State == ItemState.Succeeded),
            items.Count(i => i.State == ItemState.Failed),
            items.Count(i => i.State == ItemState.Processing),
            items.Count(i => i.Verified == true),
            items.Sum(i => i.RowsDone),
            counted.Count,
            ItemCounts.Sum(counted.Select(i => i.Counts!.Value)))
        {
            Ok = items.Count(i => Reports.ReportStatusText.Of(i) == Reports.ReportItemStatus.Ok),
        };
    }
}
