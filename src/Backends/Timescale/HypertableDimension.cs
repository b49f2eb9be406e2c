namespace Ktrdr.Backends.Timescale;

/// <summary>A dimension of a hypertable: time (with its chunk interval) or space (with its hash partitions).</summary>
/// <param name="Column">The partitioning column.</param>
/// <param name="Kind"><c>Time</c> or <c>Space</c>.</param>
/// <param name="Interval">Chunk interval of a time dimension.</param>
/// <param name="Partitions">Hash partitions of a space dimension.</param>
public sealed record HypertableDimension(string Column, string Kind, TimeSpan? Interval, int? Partitions);
