using System.Runtime.CompilerServices;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// One file's rows cut into batches that each commit on their own, read once from start to end. A batch ends before
/// a line that would take it past <see cref="MigrationOptions.BatchRows"/> lines or into more than
/// <see cref="MigrationOptions.BatchChunks"/> chunks, or after 10,000 rejected lines (they are held in memory until
/// the commit). The writer consumes <see cref="Bars"/>; <see cref="RecordAsync"/>, called inside the batch's
/// transaction, stores the rejected lines and the new resume point with it. Lines up to the checkpoint's line are read
/// past without being counted again. Lines whose bar lies outside the item's <see cref="ImportRange"/> are counted as
/// outside the range and go no further (also repeats and rejected lines whose timestamp could be read: they are not what
/// was asked for); a line whose timestamp cannot be read is rejected, since nobody can tell where it belongs.
/// Bars before the item's retention cutoff (when the run chose to leave them out)
/// are counted as older than retention and not given to the writer.
/// </summary>
internal sealed class ImportBatches : IAsyncDisposable
{
    private const int MaxRejectsPerBatch = 10_000;
    private static readonly DateTime UnixEpoch = DateTime.UnixEpoch;

    private readonly MigrationItem _item;
    private readonly IAsyncEnumerator<CsvRow> _rows;
    private readonly long _chunkTicks;
    private readonly MigrationOptions _options;
    private readonly ImportRange _range;
    private readonly Func<long, Task> _progress;
    private readonly HashSet<long> _chunks = [];
    private long _lastChunk = long.MinValue;
    private readonly List<RejectedRow> _rejects = [];
    private bool _held, _ended, _endAfter;
    private long _lines, _read, _duplicates, _rejected, _normalized, _lastLine, _outside;
    private DateTime? _first, _last, _olderFirst, _olderLast;
    private long _older;
    private readonly DateTime _cutoff;
    private ImportCheckpoint? _pending;

    public ImportBatches(CsvBarFile file, MigrationItem item, ImportCheckpoint start, TimeSpan? chunkInterval, MigrationOptions options,
        Func<long, Task> progress, CancellationToken cancellationToken)
    {
        _item = item;
        Committed = start;
        _cutoff = item.RetentionCutoff ?? DateTime.MinValue;
        _chunkTicks = chunkInterval is { Ticks: > 0 } c ? c.Ticks : 0;
        _options = options;
        _range = item.Range;
        _progress = progress;
        _rows = file.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>The counts and resume point as of the last committed batch.</summary>
    public ImportCheckpoint Committed { get; private set; }

    /// <summary>Starts the next batch; false when the file has no more lines.</summary>
    public async Task<bool> NextAsync()
    {
        (_lines, _read, _duplicates, _rejected, _normalized, _first, _last, _endAfter, _pending) = (0, 0, 0, 0, 0, null, null, false, null);
        _outside = 0;
        _lastLine = Committed.Line;
        (_older, _olderFirst, _olderLast) = (0, null, null);
        _chunks.Clear();
        _lastChunk = long.MinValue;
        _rejects.Clear();
        if (_held)
        {
            return true;
        }

        while (!_ended)
        {
            if (!await _rows.MoveNextAsync())
            {
                _ended = true;
            }
            else if (_rows.Current.Line > Committed.Line)
            {
                _held = true;
                return true;
            }
        }

        return false;
    }

    /// <summary>The good bars of the current batch, in file order; rejected lines and repeats are counted on the way.</summary>
    public async IAsyncEnumerable<Bar> Bars()
    {
        while (_held || (!_ended && await MoveAsync()))
        {
            var row = _rows.Current;
            if (_lines > 0 && (_endAfter || _lines >= _options.BatchRows || NewChunkOverLimit(row)))
            {
                _held = true;
                yield break;
            }

            _held = false;
            _lines++;
            _lastLine = row.Line;
            var total = Committed.Read + _lines;
            if (total % _options.ProgressEveryRows == 0)
            {
                await _progress(total);
            }

            if (OutsideRange(row))
            {
                _outside++;
                continue;
            }

            switch (row.Kind)
            {
                case CsvRowKind.Bar when row.Bar.Time < _cutoff:
                    _older++;
                    _olderFirst = Min(_olderFirst, row.Bar.Time);
                    _olderLast = Max(_olderLast, row.Bar.Time);
                    break;
                case CsvRowKind.Bar:
                    _read++;
                    _normalized += row.VolumeNormalized ? 1 : 0;
                    _first = _first is { } f && f <= row.Bar.Time ? f : row.Bar.Time;
                    _last = _last is { } l && l >= row.Bar.Time ? l : row.Bar.Time;
                    if (_chunkTicks > 0 && ChunkOf(row.Bar.Time) is var chunk && chunk != _lastChunk)
                    {
                        _chunks.Add(chunk);
                        _lastChunk = chunk;
                    }

                    yield return row.Bar;
                    break;
                case CsvRowKind.Duplicate:
                    _duplicates++;
                    break;
                default:
                    _rejected++;
                    _rejects.Add(new RejectedRow(_item.Id, row.Line, _item.FilePath, row.RawLine ?? "", row.Reason ?? "rejected"));
                    _endAfter = _rejects.Count >= MaxRejectsPerBatch;
                    break;
            }
        }
    }

    /// <summary>
    /// Inside the batch's transaction: stores its rejected lines and the resume point after it. Call once the writer
    /// has consumed <see cref="Bars"/>.
    /// </summary>
    public async Task RecordAsync(NpgsqlConnection connection, SaveResult saved, CancellationToken cancellationToken)
    {
        var c = Committed;
        _pending = c with
        {
            Line = _lastLine,
            Batches = c.Batches + 1,
            Read = c.Read + _lines,
            Inserted = c.Inserted + saved.Inserted,
            AlreadyPresent = c.AlreadyPresent + saved.AlreadyPresent + _duplicates,
            Conflicting = c.Conflicting + saved.Conflicting,
            Rejected = c.Rejected + _rejected,
            Normalized = c.Normalized + _normalized,
            OutsideRange = c.OutsideRange + _outside,
            FirstTime = Min(c.FirstTime, _first),
            LastTime = Max(c.LastTime, _last),
            OlderThanRetention = c.OlderThanRetention + _older,
            OlderFirstTime = Min(c.OlderFirstTime, _olderFirst),
            OlderLastTime = Max(c.OlderLastTime, _olderLast),
        };
        if (_read != saved.Total)
        {
            throw new InvalidOperationException(
                $"{_item.FilePath}: the writer accounted for {saved.Total} of the batch's {_read} bars (lines {c.Line + 1}-{_lastLine}); this is a bug in the importer: please report it with the file");
        }

        await RejectedRowStore.AddAsync(connection, _rejects, cancellationToken);
        await MigrationRunStore.SaveCheckpointAsync(connection, _item.Id, _pending, cancellationToken);
    }

    /// <summary>After the batch's transaction committed: its counts become the committed ones.</summary>
    public void Commit() =>
        Committed = _pending ?? throw new InvalidOperationException("a batch was committed without its resume point being recorded");

    public ValueTask DisposeAsync() => _rows.DisposeAsync();

    private async ValueTask<bool> MoveAsync()
    {
        if (await _rows.MoveNextAsync())
        {
            return true;
        }

        _ended = true;
        return false;
    }

    // A rejected line's bar holds what could be parsed: its time is the default when the timestamp could not be read.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool OutsideRange(in CsvRow row) =>
        !_range.IsAll && (row.Kind != CsvRowKind.Rejected || row.Bar.Time != default) && !_range.Contains(row.Bar.Time);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    // Bars of a file mostly share their neighbour's chunk: the set is consulted only when the chunk changes.
    private bool NewChunkOverLimit(in CsvRow row) =>
        _chunkTicks > 0 && row.Kind == CsvRowKind.Bar && _chunks.Count >= _options.BatchChunks
        && ChunkOf(row.Bar.Time) is var chunk && chunk != _lastChunk && !_chunks.Contains(chunk);

    // Chunks start at multiples of the interval; where exactly they are aligned does not matter for a bound.
    private long ChunkOf(DateTime time) => Math.DivRem((time - UnixEpoch).Ticks, _chunkTicks, out var rest) - (rest < 0 ? 1 : 0);

    private static DateTime? Min(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
