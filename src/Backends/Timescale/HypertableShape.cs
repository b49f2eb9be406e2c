namespace Ktrdr.Backends.Timescale;

/// <summary>How <c>price_data</c> is laid out in chunks, for <c>db status</c>.</summary>
/// <param name="ChunkInterval">The time dimension's chunk interval in force (new chunks get it).</param>
/// <param name="Chunks">Chunks of the hypertable.</param>
/// <param name="CompressedChunks">Of <paramref name="Chunks"/>, those compressed.</param>
/// <param name="ApproximateRows">
/// Rows according to the planner's statistics (<c>approximate_row_count</c>, compressed chunks included); 0 until
/// the table has been analysed (autovacuum or <c>ANALYZE price_data</c>).
/// </param>
/// <param name="TotalBytes">Size of the hypertable now (tables, indexes, TOAST; compressed chunks at their compressed size).</param>
/// <param name="BytesBeforeCompression">Of the compressed chunks, their size before compression; 0 when none is compressed.</param>
/// <param name="BytesAfterCompression">Of the compressed chunks, their size after compression; 0 when none is compressed.</param>
/// <param name="FirstChunkStart">Start of the earliest chunk, or null without chunks.</param>
/// <param name="LastChunkEnd">End of the latest chunk, or null without chunks.</param>
public sealed record HypertableShape(
    TimeSpan? ChunkInterval,
    long Chunks,
    long CompressedChunks,
    long ApproximateRows,
    long TotalBytes,
    long BytesBeforeCompression,
    long BytesAfterCompression,
    DateTime? FirstChunkStart,
    DateTime? LastChunkEnd)
{
    /// <summary>Chunks not (yet) compressed.</summary>
    public long UncompressedChunks => Chunks - CompressedChunks;

    /// <summary>Average rows per chunk from <see cref="ApproximateRows"/>, or null when unknown.</summary>
    public long? ApproximateRowsPerChunk => Chunks > 0 && ApproximateRows > 0 ? ApproximateRows / Chunks : null;

    /// <summary>Before / after compression of the compressed chunks, or null when none is compressed.</summary>
    public double? CompressionRatio => BytesAfterCompression > 0 ? (double)BytesBeforeCompression / BytesAfterCompression : null;
}
