using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// Imports one file, read once: parser, validator and repeat classifier (<see cref="CsvBarFile"/>) → the import's
/// classification into batches (<see cref="ImportBatchReader"/>) → writer (<see cref="ISeriesBatchWriter"/>, given only a
/// batch's good bars) → recorder (<see cref="ImportRecorder"/>: rejected lines and the resume point, committed with the
/// batch; progress, as lines are read, outside the writer's transaction). Memory is bounded by one batch, whatever the file's size. Commits in bounded
/// batches, each with its resume point, so that a file of any length fits a stock server's lock table and a crash costs
/// at most one batch. Idempotent: importing the same file again inserts nothing and counts every bar as already present.
/// </summary>
public sealed partial class SeriesImporter(ISeriesBatchWriter writer, IPriceTableFacts table, IImportBatchStore batchStore,
    IOptions<MigrationOptions> options, ILogger<SeriesImporter> logger)
{
    // The bar arrays of imports that ended, reused by the next ones (PooledBarList): one per import running at once.
    private readonly ConcurrentBag<Bar[]> _spareBars = [];

    // Tries of one batch that deadlocks; a deadlock that persists past them fails the attempt (Hangfire retries it).
    private const int DeadlockRetries = 3;

    /// <summary>Imports <paramref name="item"/>'s file, resuming after its last committed batch, and returns what happened to every line.</summary>
    /// <param name="item">The file and the series it holds, with its resume point if an earlier attempt committed batches.</param>
    /// <param name="progress">Called with the lines read so far, every <see cref="MigrationOptions.ProgressEveryRows"/> lines and at the end, never inside a batch's transaction.</param>
    /// <param name="cancellationToken">Stops the import; the batch under way rolls back, committed batches stay.</param>
    /// <exception cref="CsvFileException">The file is missing, unreadable or has no time or price columns (permanent).</exception>
    /// <exception cref="SeriesKeyTooLongException">The symbol or timeframe does not fit <c>price_data</c>'s column (permanent; nothing written).</exception>
    public async Task<ImportOutcome> ImportAsync(MigrationItem item, Func<long, Task> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(progress);
        var key = new SeriesKey(item.Symbol, item.Timeframe);
        using var activity = KtrdrActivity.Start(JobSpans.ImportSymbol, key);
        activity?.SetTag(PlatformSpans.DataSymbol, key.Symbol);
        activity?.SetTag(PlatformSpans.DataTimeframe, key.Timeframe);
        activity?.SetTag(JobSpans.RunId, item.RunId);
        activity?.SetTag(JobSpans.ItemId, item.Id);
        activity?.SetTag(JobSpans.FilePath, item.FilePath);
        return await KtrdrActivity.TraceAsync(activity, () => ImportCoreAsync(item, key, progress, cancellationToken), (span, outcome) =>
        {
            span.SetTag(JobSpans.RowsRead, outcome.Read)
                .SetTag(KtrdrActivity.RowsInserted, outcome.Inserted)
                .SetTag(KtrdrActivity.RowsAlreadyPresent, outcome.AlreadyPresent)
                .SetTag(KtrdrActivity.RowsConflicting, outcome.Conflicting)
                .SetTag(JobSpans.RowsRejected, outcome.Rejected)
                .SetTag(JobSpans.RowsOutsideRange, outcome.OutsideRange);
            // The file's counts (over every attempt, as the report has them); the duration is this attempt's.
            JobPlatformSpans.SetFileCounts(span, outcome.Inserted, outcome.Read - outcome.Inserted, outcome.Rejected + outcome.Conflicting,
                DateTime.UtcNow - span.StartTimeUtc);
        });
    }

    private async Task<ImportOutcome> ImportCoreAsync(MigrationItem item, SeriesKey key, Func<long, Task> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (symbolLength, timeframeLength) = await table.KeyLengthsAsync(cancellationToken);
        SeriesKeyTooLongException.ThrowIfTooLong(item.FilePath, key, symbolLength, timeframeLength);
        var start = ResumePoint(item);
        var chunkInterval = await table.ChunkIntervalAsync(cancellationToken);
        using var file = CsvBarFile.Open(item.FilePath);
        var recorder = new ImportRecorder(item, start, batchStore, progress);
        await using var reader = new ImportBatchReader(file, item, start, chunkInterval, options.Value, recorder.ReportProgressAsync, cancellationToken);
        using var batch = new ImportBatch(item, _spareBars, options.Value.BatchRows);
        while (await reader.ReadAsync(batch))
        {
            // The platform's span per committed batch; its write transaction (timescaledb.save_data, timescaledb.insert) is under it.
            using (var span = PlatformSpans.Start(JobPlatformSpans.InsertBatch, key))
            {
                span?.SetTag("csv_import.batch", recorder.Committed.Batches + 1);
                await KtrdrActivity.TraceAsync(span, () => WriteBatchAsync(item, key, batch, recorder, cancellationToken),
                    (s, result) => s.SetTag(JobPlatformSpans.RowsImported, result.Inserted));
            }

            recorder.Commit();
            LogBatch(item.Symbol, item.Timeframe, recorder.Committed.Batches, recorder.Committed.Line);
        }

        await recorder.ReportProgressAsync(recorder.Committed.Read);
        var outcome = recorder.Committed.ToOutcome();
        if (!outcome.Balances)
        {
            throw new InvalidOperationException(
                $"{item.FilePath}: counts do not balance ({outcome.Counts.Describe()}); this is a bug in the importer: please report it with the file");
        }

        LogImported(item.Symbol, item.Timeframe, outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting, outcome.Rejected,
            outcome.OutsideRange, (outcome.Read - start.Read) / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
        return outcome;
    }

    /// <summary>
    /// Writes one batch; a deadlock with the database's own work (a compression or retention policy taking the same
    /// chunks) rolls the whole batch back, bars and resume point alike, so the batch, still in memory, is simply written
    /// again. Retrying here instead of failing the attempt keeps a busy server's import at one attempt per file.
    /// </summary>
    private async Task<SaveResult> WriteBatchAsync(MigrationItem item, SeriesKey key, ImportBatch batch, ImportRecorder recorder, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await writer.SaveBatchAsync(key, batch.Bars, recorder.BeforeCommit(batch), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < DeadlockRetries)
            {
                LogDeadlock(item.Symbol, item.Timeframe, recorder.Committed.Batches + 1, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Where an earlier attempt's committed batches end; the start when there are none or the file has changed since.</summary>
    private ImportCheckpoint ResumePoint(MigrationItem item)
    {
        var stamp = ImportCheckpoint.StampOf(item.FilePath);
        var saved = item.Checkpoint is { } json ? JsonSerializer.Deserialize<ImportCheckpoint>(json) : null;
        if (saved is null || saved.Line == 0)
        {
            return ImportCheckpoint.Start(stamp);
        }

        if (saved.FileStamp != stamp)
        {
            LogFileChanged(item.Symbol, item.Timeframe, item.FilePath, saved.Line);
            return ImportCheckpoint.Start(stamp);
        }

        LogResuming(item.Symbol, item.Timeframe, saved.Line, saved.Batches);
        return saved;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Symbol} {Timeframe} after line {Line} ({Batches} batches already committed)")]
    private partial void LogResuming(string symbol, string timeframe, long line, int batches);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Symbol} {Timeframe}: {Path} changed since an earlier attempt committed lines up to {Line}; importing it from the start (bars already stored count as present)")]
    private partial void LogFileChanged(string symbol, string timeframe, string path, long line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Symbol} {Timeframe}: batch {Batch} deadlocked with other work on the same chunks (try {Attempt}); writing it again")]
    private partial void LogDeadlock(string symbol, string timeframe, int batch, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Symbol} {Timeframe}: batch {Batch} committed, through line {Line}")]
    private partial void LogBatch(string symbol, string timeframe, int batch, long line);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Imported {Symbol} {Timeframe}: read {Read}, inserted {Inserted}, present {AlreadyPresent}, conflicting {Conflicting}, rejected {Rejected}, outside the range {OutsideRange} ({RowsPerSecond:F0} rows/s)")]
    private partial void LogImported(string symbol, string timeframe, long read, long inserted, long alreadyPresent, long conflicting, long rejected, long outsideRange, double rowsPerSecond);
}
