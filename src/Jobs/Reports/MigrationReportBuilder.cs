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
        var reportItems = items.Select(i => new ReportItem
        {
            Symbol = i.Symbol,
            Timeframe = i.Timeframe,
            FilePath = i.FilePath,
            Counts = i.Counts ?? default,
            StartDate = i.FirstTime,
            EndDate = i.LastTime,
            DurationSeconds = i.StartedAt is { } s && i.FinishedAt is { } f ? (f - s).TotalSeconds : 0,
            Status = ReportStatusText.Of(i),
            Attempts = i.Attempts,
            Error = i.Error,
            Verification = i.VerifyMessage,
            ReadAsUtc = readAsUtc?.GetValueOrDefault(i.Id) ?? 0,
            RetentionCutoff = i.RetentionCutoff,
            OlderFirstTime = i.OlderFirstTime,
            OlderLastTime = i.OlderLastTime,
        }).ToList();
        var totals = RunTotals.Of(items);
        var failed = totals.Files - totals.Ok;
        var duration = Math.Max((now - run.StartedAt).TotalSeconds, 0);
        var summary = new ReportSummary
        {
            TotalSeries = totals.Files,
            TotalSymbols = items.Select(i => i.Symbol).Distinct(StringComparer.Ordinal).Count(),
            Successful = totals.Ok,
            Failed = failed,
            SuccessRate = totals.Files == 0 ? 100 : 100.0 * totals.Ok / totals.Files,
            Counts = totals.Counts,
            DurationSeconds = duration,
            RowsPerSecond = duration > 0 ? totals.Counts.Read / duration : 0,
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

        return new MigrationReport(run.Id, now, run.StartedAt, run.DataDir, failed == 0 ? ReportStatus.Success : ReportStatus.Partial, summary, reportItems, rejections)
        {
            Warnings = SymbolCaseWarnings.Of(items.Select(i => i.Symbol)),
            Range = run.Range.IsAll ? null : new ReportRange(run.Range.Start, run.Range.End, run.Range.Describe()),
        };
    }
}
