using System.Collections.Concurrent;
using Ktrdr.Backends;

namespace Ktrdr.Jobs;

/// <summary>
/// One batch of a file's lines, classified: the good bars the writer receives, and how every other line of the batch
/// was counted. Filled by <see cref="ImportBatchReader"/>, committed by the writer with what
/// <see cref="ImportRecorder"/> stores alongside, then cleared and filled again (its lists keep their capacity).
/// </summary>
internal sealed class ImportBatch(MigrationItem item, ConcurrentBag<Bar[]> spareBars, int maxBars) : IDisposable
{
    /// <summary>The good bars, in file order: the only thing the writer is given.</summary>
    public PooledBarList Bars { get; } = new(spareBars, maxBars);

    /// <summary>The rejected lines, stored with the batch's commit.</summary>
    public List<RejectedRow> Rejected { get; } = [];

    /// <summary>Data lines in the batch, whatever became of them.</summary>
    public long Lines { get; private set; }

    /// <summary>The last line of the batch (1-based, header = 1).</summary>
    public long LastLine { get; private set; }

    private long _repeats, _normalized, _outside, _older;
    private DateTime? _first, _last, _olderFirst, _olderLast;

    public void Clear()
    {
        Bars.Clear();
        Rejected.Clear();
        (Lines, LastLine, _repeats, _normalized, _outside, _older) = (0, 0, 0, 0, 0, 0);
        (_first, _last, _olderFirst, _olderLast) = (null, null, null, null);
    }

    /// <summary>Counts line <paramref name="line"/> as part of the batch; then one of the Add methods says what it was.</summary>
    public void Take(long line)
    {
        Lines++;
        LastLine = line;
    }

    public void AddBar(in Bar bar, bool normalized)
    {
        Bars.Add(bar);
        _normalized += normalized ? 1 : 0;
        _first = _first is { } f && f <= bar.Time ? f : bar.Time;
        _last = _last is { } l && l >= bar.Time ? l : bar.Time;
    }

    public void AddRepeat() => _repeats++;

    public void AddOutsideRange() => _outside++;

    public void AddOlderThanRetention(DateTime time)
    {
        _older++;
        _olderFirst = Min(_olderFirst, time);
        _olderLast = Max(_olderLast, time);
    }

    public void AddRejected(long line, string rawLine, string reason) => Rejected.Add(new RejectedRow(item.Id, line, item.FilePath, rawLine, reason));

    /// <summary>The resume point after this batch, given the one before it and what the writer did with the bars.</summary>
    /// <exception cref="InvalidOperationException">The writer did not account for every bar (a bug: nothing of the batch is committed).</exception>
    public ImportCheckpoint After(ImportCheckpoint committed, SaveResult saved)
    {
        if (saved.Total != Bars.Count)
        {
            throw new InvalidOperationException(
                $"{item.FilePath}: the writer accounted for {saved.Total} of the batch's {Bars.Count} bars (lines {committed.Line + 1}-{LastLine}); this is a bug in the importer: please report it with the file");
        }

        var batch = new ItemCounts
        {
            Read = Lines, Inserted = saved.Inserted, AlreadyPresent = saved.AlreadyPresent + _repeats, Conflicting = saved.Conflicting,
            Rejected = Rejected.Count, Normalized = _normalized, OutsideRange = _outside, OlderThanRetention = _older,
        };
        return committed.WithCounts(committed.Counts + batch) with
        {
            Line = LastLine,
            Batches = committed.Batches + 1,
            FirstTime = Min(committed.FirstTime, _first),
            LastTime = Max(committed.LastTime, _last),
            OlderFirstTime = Min(committed.OlderFirstTime, _olderFirst),
            OlderLastTime = Max(committed.OlderLastTime, _olderLast),
        };
    }

    public void Dispose() => Bars.Dispose();

    private static DateTime? Min(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
