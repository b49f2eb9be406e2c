using System.Diagnostics;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs;

/// <summary>
/// Imports one file: parser and validator (<see cref="CsvBarFile"/>) → writer (<see cref="TimescaleBackend"/>) → recorder
/// (<see cref="RejectedRowStore"/>). Streams the file: memory does not grow with its size. Idempotent: importing the same
/// file again inserts nothing and counts every bar as already present.
/// </summary>
public sealed partial class SeriesImporter(TimescaleBackend writer, RejectedRowStore rejects, IOptions<MigrationOptions> options, ILogger<SeriesImporter> logger)
{
    private const int RejectBatch = 1000;

    /// <summary>Imports <paramref name="item"/>'s file and returns what happened to every line.</summary>
    /// <param name="item">The file and the series it holds.</param>
    /// <param name="progress">Called with the lines read so far, every <see cref="MigrationOptions.ProgressEveryRows"/> lines.</param>
    /// <param name="cancellationToken">Stops the import; the write transaction rolls back.</param>
    /// <exception cref="CsvFileException">The file is missing, unreadable or has no time or price columns (permanent).</exception>
    public async Task<ImportOutcome> ImportAsync(MigrationItem item, Func<long, Task> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(progress);
        var key = new SeriesKey(item.Symbol, item.Timeframe);
        using var activity = KtrdrActivity.Start(KtrdrActivity.ImportSymbol, key);
        activity?.SetTag(KtrdrActivity.RunId, item.RunId);
        activity?.SetTag(KtrdrActivity.ItemId, item.Id);
        activity?.SetTag(KtrdrActivity.FilePath, item.FilePath);
        return await KtrdrActivity.TraceAsync(activity, () => ImportCoreAsync(item, key, progress, cancellationToken), (span, outcome) => span
            .SetTag(KtrdrActivity.RowsRead, outcome.Read)
            .SetTag(KtrdrActivity.RowsInserted, outcome.Inserted)
            .SetTag(KtrdrActivity.RowsAlreadyPresent, outcome.AlreadyPresent)
            .SetTag(KtrdrActivity.RowsConflicting, outcome.Conflicting)
            .SetTag(KtrdrActivity.RowsRejected, outcome.Rejected));
    }

    private async Task<ImportOutcome> ImportCoreAsync(MigrationItem item, SeriesKey key, Func<long, Task> progress, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var clock = Stopwatch.StartNew();

        // Open once up front so that a missing or malformed file fails before any write starts.
        CsvBarFile.Open(item.FilePath).Dispose();
        var saved = await writer.SaveAsync(key, GoodBarsAsync(item, tally, progress, cancellationToken), cancellationToken);
        var outcome = new ImportOutcome(tally.Read, saved.Inserted, saved.AlreadyPresent + tally.Duplicates, saved.Conflicting,
            tally.Rejected, tally.Normalized, tally.First, tally.Last);
        if (!outcome.Balances)
        {
            throw new InvalidOperationException(
                $"{item.FilePath}: counts do not balance (read {outcome.Read} != inserted {outcome.Inserted} + present {outcome.AlreadyPresent} + conflicting {outcome.Conflicting} + rejected {outcome.Rejected}); this is a bug in the importer: please report it with the file");
        }

        LogImported(item.Symbol, item.Timeframe, outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting, outcome.Rejected,
            outcome.Read / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
        return outcome;
    }

    private async IAsyncEnumerable<Bar> GoodBarsAsync(MigrationItem item, Tally tally, Func<long, Task> progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The writer may enumerate twice (fast path, then merge): every pass starts from a clean tally.
        tally.Reset();
        var pending = new List<RejectedRow>();
        var every = options.Value.ProgressEveryRows;
        using var file = CsvBarFile.Open(item.FilePath);
        await foreach (var row in file.ReadAsync(cancellationToken))
        {
            tally.Read++;
            if (tally.Read % every == 0)
            {
                await progress(tally.Read);
            }

            switch (row.Kind)
            {
                case CsvRowKind.Bar:
                    tally.Normalized += row.VolumeNormalized ? 1 : 0;
                    tally.First = tally.First is { } f && f <= row.Bar.Time ? f : row.Bar.Time;
                    tally.Last = tally.Last is { } l && l >= row.Bar.Time ? l : row.Bar.Time;
                    yield return row.Bar;
                    break;
                case CsvRowKind.Duplicate:
                    tally.Duplicates++;
                    break;
                default:
                    tally.Rejected++;
                    pending.Add(new RejectedRow(item.Id, row.Line, item.FilePath, row.RawLine ?? "", row.Reason ?? "rejected"));
                    if (pending.Count >= RejectBatch)
                    {
                        await rejects.AddAsync(pending, cancellationToken);
                        pending.Clear();
                    }

                    break;
            }
        }

        await rejects.AddAsync(pending, cancellationToken);
        await progress(tally.Read);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Imported {Symbol} {Timeframe}: read {Read}, inserted {Inserted}, present {AlreadyPresent}, conflicting {Conflicting}, rejected {Rejected} ({RowsPerSecond:F0} rows/s)")]
    private partial void LogImported(string symbol, string timeframe, long read, long inserted, long alreadyPresent, long conflicting, long rejected, double rowsPerSecond);

    private sealed class Tally
    {
        public long Read;
        public long Duplicates;
        public long Rejected;
        public long Normalized;
        public DateTime? First;
        public DateTime? Last;

        public void Reset() => (Read, Duplicates, Rejected, Normalized, First, Last) = (0, 0, 0, 0, null, null);
    }
}
