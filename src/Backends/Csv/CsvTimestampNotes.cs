namespace Ktrdr.Backends.Csv;

/// <summary>What <see cref="CsvTimestamp"/> noticed about a timestamp it parsed.</summary>
[Flags]
public enum CsvTimestampNotes
{
    /// <summary>Nothing to say: a date, or a time with an offset or <c>Z</c>.</summary>
    None = 0,

    /// <summary>A time of day without an offset: read as UTC.</summary>
    ReadAsUtc = 1,

    /// <summary>
    /// Non-zero digits after the sixth of the fraction: PostgreSQL keeps microseconds, so storing it would change
    /// the value.
    /// </summary>
    SubMicrosecond = 2,
}
