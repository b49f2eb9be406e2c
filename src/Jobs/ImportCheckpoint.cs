namespace Ktrdr.Jobs;

/// <summary>
/// How far an import has durably got: every line up to <see cref="Line"/> is accounted for in the counts, and the
/// bars of those lines are committed. Written in the same transaction as each batch, so after a crash the import
/// resumes on the line after it and redoes no committed batch.
/// </summary>
/// <param name="FileStamp">Size and modification time of the file when the import began: a changed file starts over.</param>
/// <param name="Line">The last line (1-based, header = 1) of the last committed batch; 0 before the first.</param>
/// <param name="Batches">Batches committed.</param>
/// <param name="Read">Data lines of the committed batches; the other counts split them as <see cref="ImportOutcome"/> does.</param>
/// <param name="Inserted">Bars written.</param>
/// <param name="AlreadyPresent">Bars stored before with the same values, and exact repeats within the file.</param>
/// <param name="Conflicting">Bars stored before with other values (not written).</param>
/// <param name="Rejected">Lines rejected (in <c>rejected_rows</c>).</param>
/// <param name="Normalized">Bars whose -1 volume was stored as 0.</param>
/// <param name="FirstTime">Earliest bar time read.</param>
/// <param name="LastTime">Latest bar time read.</param>
public sealed record ImportCheckpoint(
    string FileStamp,
    long Line,
    int Batches,
    long Read,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    DateTime? FirstTime,
    DateTime? LastTime)
{
    /// <summary>Nothing committed yet, for a file with <paramref name="fileStamp"/>.</summary>
    public static ImportCheckpoint Start(string fileStamp) => new(fileStamp, 0, 0, 0, 0, 0, 0, 0, 0, null, null);

    /// <summary>The identity of a file's content as far as a resume can tell without reading it.</summary>
    public static string StampOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? FormattableString.Invariant($"{info.Length}:{info.LastWriteTimeUtc.Ticks}") : "";
    }

    /// <summary>Lines whose bar lies outside the run's range (a checkpoint written before ranges existed reads as 0).</summary>
    public long OutsideRange { get; init; }

    /// <summary>Bars left out as older than a retention policy's cutoff (<see cref="ImportOutcome.OlderThanRetention"/>).</summary>
    public long OlderThanRetention { get; init; }

    /// <summary>Earliest bar left out as older than retention.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention.</summary>
    public DateTime? OlderLastTime { get; init; }

    /// <summary>The counts of the committed batches (not part of the stored JSON, whose fields stay flat).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ItemCounts Counts => new()
    {
        Read = Read, Inserted = Inserted, AlreadyPresent = AlreadyPresent, Conflicting = Conflicting, Rejected = Rejected,
        OutsideRange = OutsideRange, OlderThanRetention = OlderThanRetention, Normalized = Normalized,
    };

    /// <summary>This checkpoint holding <paramref name="counts"/> in its flat fields.</summary>
    public ImportCheckpoint WithCounts(ItemCounts counts) => this with
    {
        Read = counts.Read, Inserted = counts.Inserted, AlreadyPresent = counts.AlreadyPresent, Conflicting = counts.Conflicting,
        Rejected = counts.Rejected, Normalized = counts.Normalized, OutsideRange = counts.OutsideRange, OlderThanRetention = counts.OlderThanRetention,
    };

    public ImportOutcome ToOutcome() => new(Counts, FirstTime, LastTime)
    {
        OlderFirstTime = OlderFirstTime,
        OlderLastTime = OlderLastTime,
    };
}
