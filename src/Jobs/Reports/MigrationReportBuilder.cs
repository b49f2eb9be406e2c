namespace Ktrdr.Jobs.Reports;

/// <summary>Builds a <see cref="MigrationReport"/> from a finished run's rows.</summary>
public static class MigrationReportBuilder
{
    /// <param name="run">The run.</param>
    /// <param name="items">Its items, final.</param>
    /// <param name="rejectCounts">Rejected lines by item and reason.</param>
    /// <param name="firstRejects">The first rejected lines of each item.</param>
    /// <param name="now">When the report is made.</param>
    /// <param name="readAsUtc">
    /// Per item id, lines whose timestamp had no offset and were read as UTC, as counted by the verification's full
    /// read of each file (not stored in the database, so only the verification job's report has them).
    /// </param>
    public static MigrationReport Build(MigrationRun run, IReadOnlyList<MigrationItem> items,
        IReadOnlyList<(long ItemId, string Reason, long Count)> rejectCounts, IReadOnlyList<RejectedRow> firstRejects, DateTime now,
        IReadOnlyDictionary<long, long>? readAsUtc = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        var reportItems = items.Select(i => new ReportItem(
            i.Symbol, i.Timeframe, i.FilePath, i.RowsRead ?? 0, i.Inserted ?? 0, i.AlreadyPresent ?? 0, i.Conflicting ?? 0, i.Rejected ?? 0,
            i.Normalized ?? 0, i.FirstTime, i.LastTime,
            i.StartedAt is { } s && i.FinishedAt is { } f ? (f - s).TotalSeconds : 0,
            StatusOf(i), i.Attempts, i.Error, i.VerifyMessage)
        {
            ReadAsUtc = readAsUtc?.GetValueOrDefault(i.Id) ?? 0,
            OutsideRange = i.OutsideRange ?? 0,
            OlderThanRetention = i.OlderThanRetention ?? 0,
            RetentionCutoff = i.RetentionCutoff,
            OlderFirstTime = i.OlderFirstTime,
            OlderLastTime = i.OlderLastTime,
        }).ToList();
        var successful = reportItems.Count(i => i.Status == "ok");
        var failed = reportItems.Count - successful;
        var duration = Math.Max((now - run.StartedAt).TotalSeconds, 0);
        var totalRows = reportItems.Sum(i => i.Read);
        var summary = new ReportSummary(
            reportItems.Count,
            reportItems.Select(i => i.Symbol).Distinct(StringComparer.Ordinal).Count(),
            successful,
            failed,
            reportItems.Count == 0 ? 100 : 100.0 * successful / reportItems.Count,
            totalRows,
            reportItems.Sum(i => i.Inserted),
            reportItems.Sum(i => i.AlreadyPresent),
            reportItems.Sum(i => i.Conflicting),
            reportItems.Sum(i => i.Rejected),
            reportItems.Sum(i => i.Normalized),
            duration,
            duration > 0 ? totalRows / duration : 0)
        {
            OutsideRange = reportItems.Sum(i => i.OutsideRange),
            OlderThanRetention = reportItems.Sum(i => i.OlderThanRetention),
        };

        var byItem = items.ToDictionary(i => i.Id);
        var firstByItem = firstRejects.ToLookup(r => r.ItemId);
        var rejections = rejectCounts.GroupBy(r => r.ItemId).Where(g => byItem.ContainsKey(g.Key)).Select(g =>
        {
            var item = byItem[g.Key];
            return new ReportRejections(item.Symbol, item.Timeframe, item.FilePath,
                g.ToDictionary(r => r.Reason, r => r.Count),
                firstByItem[g.Key].Select(r => new ReportRejectedLine(r.Line, r.Reason, r.RawLine)).ToList());
        }).OrderBy(r => r.Symbol, StringComparer.Ordinal).ThenBy(r => r.Timeframe, StringComparer.Ordinal).ToList();

        return new MigrationReport(run.Id, now, run.StartedAt, run.DataDir, failed == 0 ? "success" : "partial", summary, reportItems, rejections)
        {
            Warnings = SymbolCaseWarnings.Of(items.Select(i => i.Symbol)),
            Range = run.Range.IsAll ? null : new ReportRange(run.Range.Start, run.Range.End, run.Range.Describe()),
        };
    }

    private static string StatusOf(MigrationItem item) => item.State switch
    {
        ItemStates.Succeeded when item.Verified == true => "ok",
        ItemStates.Succeeded when item.Verified == false => "mismatch",
        ItemStates.Succeeded => "unverified",
        _ => "failed",
    };
}
