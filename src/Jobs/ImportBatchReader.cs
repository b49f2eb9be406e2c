using System.Runtime.CompilerServices;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Jobs;

/// <summary>
/// Reads one file once, start to end, into batches that each commit on their own (<see cref="ImportBatch"/>). Each line is
/// parsed, validated and classified as a bar or a repeat by <see cref="CsvBarFile"/>, then classified here for the
/// import: outside the item's <see cref="ImportRange"/> (also repeats and rejected lines whose timestamp could be read:
/// they are not what was asked for; a line whose timestamp cannot be read is rejected, since nobody can tell where it
/// belongs), older than the item's retention cutoff (when the run chose to leave such bars out), rejected, a repeat, or a
/// good bar for the writer. A batch ends before a line that would take it past <see cref="MigrationOptions.BatchRows"/>
/// lines or its bars into more than <see cref="MigrationOptions.BatchChunks"/> chunks, or after 10,000 rejected lines
/// (they are held in memory until the commit). Lines up to the resume point are read past without being counted again.
/// </summary>
internal sealed class ImportBatchReader : IAsyncDisposable
{
    private const int MaxRejectsPerBatch = 10_000;

    private readonly IAsyncEnumerator<CsvRow> _rows;
    private readonly long _resumeAfter;
    private readonly long _chunkTicks;
    private readonly MigrationOptions _options;
    private readonly ImportRange _range;
    private readonly DateTime _cutoff;
    private readonly Func<long, Task> _linesRead;
    private readonly HashSet<long> _chunks = [];
    private long _lastChunk, _read;
    private bool _held, _ended;

    /// <param name="file">The file, opened.</param>
    /// <param name="item">The item: its range and retention cutoff.</param>
    /// <param name="start">The resume point: lines up to its line are skipped, its read count continues.</param>
    /// <param name="chunkInterval">The table's chunk interval, null for a plain table (no chunk bound then).</param>
    /// <param name="options">The batch bounds and the progress interval.</param>
    /// <param name="linesRead">Called with the lines read so far (of every attempt) every <see cref="MigrationOptions.ProgressEveryRows"/> lines.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public ImportBatchReader(CsvBarFile file, MigrationItem item, ImportCheckpoint start, TimeSpan? chunkInterval, MigrationOptions options,
        Func<long, Task> linesRead, CancellationToken cancellationToken)
    {
        _resumeAfter = start.Line;
        _read = start.Read;
        _chunkTicks = chunkInterval is { Ticks: > 0 } c ? c.Ticks : 0;
        _options = options;
        _range = item.Range;
        _cutoff = item.RetentionCutoff ?? DateTime.MinValue;
        _linesRead = linesRead;
        _rows = file.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Clears <paramref name="batch"/> and fills it with the next lines; false when the file has none left.</summary>
    /// <exception cref="CsvFileException">The file cannot be read any further.</exception>
    public async Task<bool> ReadAsync(ImportBatch batch)
    {
        batch.Clear();
        _chunks.Clear();
        _lastChunk = long.MinValue;
        while (_held || await MoveAsync())
        {
            var row = _rows.Current;
            if (batch.Lines > 0 && (batch.Rejected.Count >= MaxRejectsPerBatch || batch.Lines >= _options.BatchRows || NewChunkOverLimit(row)))
            {
                _held = true;
                return true;
            }

            _held = false;
            batch.Take(row.Line);
            Classify(row, batch);
            if (++_read % _options.ProgressEveryRows == 0)
            {
                await _linesRead(_read);
            }
        }

        return batch.Lines > 0;
    }

    public ValueTask DisposeAsync() => _rows.DisposeAsync();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Classify(in CsvRow row, ImportBatch batch)
    {
        if (OutsideRange(row))
        {
            batch.AddOutsideRange();
            return;
        }

        switch (row.Kind)
        {
            case CsvRowKind.Bar when row.Bar.Time < _cutoff:
                batch.AddOlderThanRetention(row.Bar.Time);
                break;
            case CsvRowKind.Bar:
                batch.AddBar(row.Bar, row.VolumeNormalized);
                if (_chunkTicks > 0 && ChunkOf(row.Bar.Time) is var chunk && chunk != _lastChunk)
                {
                    _chunks.Add(chunk);
                    _lastChunk = chunk;
                }

                break;
            case CsvRowKind.Duplicate:
                batch.AddRepeat();
                break;
            default:
                batch.AddRejected(row.Line, row.RawLine ?? "", row.Reason ?? "rejected");
                break;
        }
    }

    /// <summary>The next line after the resume point; false at the end of the file.</summary>
    private async ValueTask<bool> MoveAsync()
    {
        while (!_ended)
        {
            if (!await _rows.MoveNextAsync())
            {
                _ended = true;
            }
            else if (_rows.Current.Line > _resumeAfter)
            {
                return true;
            }
        }

        return false;
    }

    // A rejected line's bar holds what could be parsed: its time is the default when the timestamp could not be read.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool OutsideRange(in CsvRow row) =>
        !_range.IsAll && (row.Kind != CsvRowKind.Rejected || row.Bar.Time != default) && !_range.Contains(row.Bar.Time);

    // Bars of a file mostly share their neighbour's chunk: the set is consulted only when the chunk changes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NewChunkOverLimit(in CsvRow row) =>
        _chunkTicks > 0 && row.Kind == CsvRowKind.Bar && _chunks.Count >= _options.BatchChunks
        && ChunkOf(row.Bar.Time) is var chunk && chunk != _lastChunk && !_chunks.Contains(chunk);

    // Chunks start at multiples of the interval; where exactly they are aligned does not matter for a bound.
    private long ChunkOf(DateTime time) => Math.DivRem((time - DateTime.UnixEpoch).Ticks, _chunkTicks, out var rest) - (rest < 0 ? 1 : 0);
}
