using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;

namespace Ktrdr.Jobs;

/// <summary>
/// Compares a CSV file with the database: counts, first and last timestamps, and every value of every bar (exact
/// double equality). Lines the migration rejects are left out of the CSV side, so they count as expected absences,
/// not differences (they are counted in <see cref="SeriesComparison.ExpectedAbsent"/>). Bars of the file before a
/// retention cutoff (the policy's on <c>price_data</c> now, or the one a run left bars out by) that the database does
/// not hold are removed by policy, not damage: counted in <see cref="SeriesComparison.RemovedByRetention"/>, so that
/// nothing re-imports them in a loop. Both sides stream in time order, so memory stays flat; only a file that is not in time order is sorted in memory.
/// Used by the migration's verification job and by <c>./ktrdr verify</c> alike.
/// </summary>
public sealed class SeriesComparer(IStoredSeriesReader database, IRetentionReader retention)
{
    private const int DifferencesKept = 5;

    /// <summary>Compares <paramref name="path"/> with the bars of <paramref name="key"/> in the database.</summary>
    /// <exception cref="CsvFileException">The file cannot be read.</exception>
    public Task<SeriesComparison> CompareAsync(SeriesKey key, string path, CancellationToken cancellationToken) =>
        CompareAsync(key, path, ImportRange.All, null, cancellationToken);

    /// <summary>
    /// Compares the bars of <paramref name="path"/> within <paramref name="range"/> with the bars of <paramref name="key"/>
    /// in the database within the same range (a gap-filling run's verification): the file's lines outside it are
    /// counted in <see cref="SeriesComparison.OutsideRange"/>, the database's bars outside it are not read. Bars before
    /// <paramref name="leftOutBefore"/> (a run's retention cutoff) or before the retention policy's cutoff now may be
    /// missing from the database.
    /// </summary>
    /// <exception cref="CsvFileException">The file cannot be read.</exception>
    public async Task<SeriesComparison> CompareAsync(SeriesKey key, string path, ImportRange range, DateTime? leftOutBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        using var activity = KtrdrActivity.Start(JobSpans.Verify, key);
        activity?.SetTag(JobSpans.FilePath, path);
        var policy = (await retention.RetentionAsync(cancellationToken))?.Cutoff;
        var cutoff = new[] { policy, leftOutBefore }.Max() ?? DateTime.MinValue;

        // The platform's name for the same comparison, as the child of ours.
        using var compare = PlatformSpans.Start(JobPlatformSpans.CompareCsvDb, key);
        return await KtrdrActivity.TraceAsync(activity, () => KtrdrActivity.TraceAsync(compare, () => CompareCoreAsync(key, path, range, cutoff, cancellationToken),
            (span, result) => span.SetTag("migration.csv_rows", result.CsvRows).SetTag("migration.db_rows", result.DbRows)
                .SetTag("migration.mismatches", result.Mismatches).SetTag("migration.matches", result.Matches)), (span, result) => span
            .SetTag(JobSpans.CsvRows, result.CsvRows)
            .SetTag(JobSpans.DbRows, result.DbRows)
            .SetTag(JobSpans.Mismatches, result.Mismatches)
            .SetTag(JobSpans.Matches, result.Matches));
    }

    private async Task<SeriesComparison> CompareCoreAsync(SeriesKey key, string path, ImportRange range, DateTime cutoff, CancellationToken cancellationToken)
    {
        var skipped = new StrongBox<long>();
        var readAsUtc = new StrongBox<long>();
        var outside = new StrongBox<long>();
        try
        {
            var result = await MergeAsync(key, range, Within(range, SortedCsvBarsAsync(path, skipped, readAsUtc, cancellationToken), outside), cutoff, cancellationToken);
            return result with { ExpectedAbsent = skipped.Value, ReadAsUtc = readAsUtc.Value, OutsideRange = outside.Value };
        }
        catch (UnsortedFileException)
        {
            (skipped.Value, outside.Value) = (0, 0);
            var bars = await SortInMemoryAsync(path, skipped, readAsUtc, cancellationToken);
            var result = await MergeAsync(key, range, Within(range, bars.ToAsyncEnumerable(), outside), cutoff, cancellationToken);
            return result with { ExpectedAbsent = skipped.Value, ReadAsUtc = readAsUtc.Value, OutsideRange = outside.Value };
        }
    }

    /// <summary>The bars of <paramref name="bars"/> inside <paramref name="range"/>; the others are counted.</summary>
    private static IAsyncEnumerable<Bar> Within(ImportRange range, IAsyncEnumerable<Bar> bars, StrongBox<long> outside) =>
        range.IsAll ? bars : FilterAsync(range, bars, outside); // no extra step per bar for whole files

    private static async IAsyncEnumerable<Bar> FilterAsync(ImportRange range, IAsyncEnumerable<Bar> bars, StrongBox<long> outside)
    {
        await foreach (var bar in bars)
        {
            if (range.Contains(bar.Time))
            {
                yield return bar;
            }
            else
            {
                outside.Value++;
            }
        }
    }

    private async Task<SeriesComparison> MergeAsync(SeriesKey key, ImportRange range, IAsyncEnumerable<Bar> csvBars, DateTime cutoff, CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        long mismatches = 0, csvRows = 0, dbRows = 0, removed = 0;
        DateTime? csvFirst = null, csvLast = null, dbFirst = null, dbLast = null;
        await using var csv = csvBars.GetAsyncEnumerator(cancellationToken);
        await using var db = database.LoadStoredAsync(key, range.Start, range.End, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool hasCsv = await csv.MoveNextAsync(), hasDb = await db.MoveNextAsync();
        while (hasCsv || hasDb)
        {
            var takeCsv = hasCsv && (!hasDb || csv.Current.Time <= db.Current.Time);
            var takeDb = hasDb && (!hasCsv || db.Current.Time <= csv.Current.Time);
            if (takeCsv && !takeDb && csv.Current.Time < cutoff)
            {
                // Older than retention and not stored: deleted by the policy, or left out by the run's choice.
                removed++;
                hasCsv = await csv.MoveNextAsync();
                continue;
            }

            if (takeCsv != takeDb || csv.Current != db.Current)
            {
                // Counted always, described only while kept: a shifted series can differ in millions of bars.
                mismatches++;
                if (differences.Count < DifferencesKept)
                {
                    differences.Add(Describe(takeCsv, takeDb, csv.Current, db.Current));
                }
            }

            if (takeCsv)
            {
                csvRows++;
                csvFirst ??= csv.Current.Time;
                csvLast = csv.Current.Time;
                hasCsv = await csv.MoveNextAsync();
            }

            if (takeDb)
            {
                dbRows++;
                dbFirst ??= db.Current.Time;
                dbLast = db.Current.Time;
                hasDb = await db.MoveNextAsync();
            }
        }

        return new SeriesComparison(key, csvRows, dbRows, csvFirst, csvLast, dbFirst, dbLast, mismatches, differences)
        {
            RemovedByRetention = removed,
            RetentionCutoff = cutoff == DateTime.MinValue ? null : cutoff,
        };
    }

    /// <summary>The bars the migration keeps from a file, streamed; throws when the file is not in time order.</summary>
    private static async IAsyncEnumerable<Bar> SortedCsvBarsAsync(string path, StrongBox<long> skipped, StrongBox<long> readAsUtc,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var file = CsvBarFile.Open(path);
        DateTime? last = null;
        await foreach (var row in file.ReadAsync(cancellationToken))
        {
            if (row.Kind != CsvRowKind.Bar)
            {
                skipped.Value++;
                continue;
            }

            if (last is { } l && row.Bar.Time <= l)
            {
                throw new UnsortedFileException();
            }

            last = row.Bar.Time;
            yield return row.Bar;
        }

        readAsUtc.Value = file.ReadAsUtc;
    }

    /// <summary>An unsorted file, sorted in memory; the first occurrence of a timestamp wins, as in the import.</summary>
    private static async Task<List<Bar>> SortInMemoryAsync(string path, StrongBox<long> skipped, StrongBox<long> readAsUtc,
        CancellationToken cancellationToken)
    {
        var bars = new List<(Bar Bar, long Line)>();
        using (var file = CsvBarFile.Open(path))
        {
            await foreach (var row in file.ReadAsync(cancellationToken))
            {
                if (row.Kind == CsvRowKind.Bar)
                {
                    bars.Add((row.Bar, row.Line));
                }
                else
                {
                    skipped.Value++;
                }
            }

            readAsUtc.Value = file.ReadAsUtc;
        }

        var ordered = bars.OrderBy(x => x.Bar.Time).ThenBy(x => x.Line).Select(x => x.Bar).ToList();
        var kept = ordered.Where((bar, index) => index == 0 || ordered[index - 1].Time != bar.Time).ToList();
        skipped.Value += ordered.Count - kept.Count;
        return kept;
    }

    private static string Describe(bool inCsv, bool inDb, Bar csv, Bar db) => (inCsv, inDb) switch
    {
        (true, true) => $"{CsvTimestamp.Format(db.Time)} csv {Values(csv)} != db {Values(db)}",
        (true, false) => $"{CsvTimestamp.Format(csv.Time)} in csv, missing in db",
        _ => $"{CsvTimestamp.Format(db.Time)} in db, not in csv",
    };

    private static string Values(Bar b) => string.Create(CultureInfo.InvariantCulture, $"({b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.Volume:R})");
}
