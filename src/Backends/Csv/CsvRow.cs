namespace Ktrdr.Backends.Csv;

/// <summary>One data line of a CSV file after parsing and validation.</summary>
/// <param name="Line">1-based line number in the file (the header is line 1).</param>
/// <param name="Kind">Whether the line is a bar, a repeat of the line before, or rejected.</param>
/// <param name="Bar">The bar (for <see cref="CsvRowKind.Rejected"/>, whatever could be parsed).</param>
/// <param name="Reason">Why the line was rejected; null otherwise.</param>
/// <param name="RawLine">The line as it stands in the file, kept only for rejected lines.</param>
/// <param name="VolumeNormalized">The volume was the -1 sentinel and is stored as 0.</param>
public readonly record struct CsvRow(long Line, CsvRowKind Kind, Bar Bar, string? Reason, string? RawLine, bool VolumeNormalized);
