using System.Globalization;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// timestamptz in PostgreSQL's binary format: microseconds since 2000-01-01 UTC (truncated toward zero), as Npgsql maps
/// it except at the extremes: DateTime.MinValue and MaxValue are written as the instants they are, never as Npgsql's
/// -infinity/infinity, which a hypertable's time column refuses (22008). Infinity still reads back as MinValue/MaxValue
/// (a plain table written by an earlier version). One mapping for the COPY writer and reader alike.
/// </summary>
internal static class PgTimestamp
{
    private const long EpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z
    private const long MinMicroseconds = -EpochTicks / 10;
    private const long MaxMicroseconds = (3_155_378_975_999_999_999 - EpochTicks) / 10; // DateTime.MaxValue

    public static long ToMicroseconds(DateTime time) => (time.Ticks - EpochTicks) / 10;

    /// <summary>
    /// <paramref name="time"/> as a SQL constant, for the time bounds of a COPY (which takes no bind parameters): a
    /// constant lets TimescaleDB exclude chunks when it plans. Only a DateTime is ever rendered here, in a fixed
    /// invariant format, so no input text reaches the SQL. MinValue and MaxValue are the open ends.
    /// </summary>
    public static string Literal(DateTime time) =>
        time == DateTime.MinValue ? "'-infinity'::timestamptz"
        : time == DateTime.MaxValue ? "'infinity'::timestamptz"
        : string.Create(CultureInfo.InvariantCulture, $"'{FromMicroseconds(ToMicroseconds(time)):yyyy-MM-dd HH:mm:ss.ffffff}+00'::timestamptz");

    /// <summary><paramref name="time"/> truncated to the microsecond, as stored.</summary>
    public static DateTime Truncate(DateTime time) => time == DateTime.MaxValue ? time : FromMicroseconds(ToMicroseconds(time));

    /// <exception cref="InvalidDataException">The time is outside DateTime's range.</exception>
    public static DateTime FromMicroseconds(long microseconds)
    {
        if (microseconds is long.MinValue or long.MaxValue)
        {
            return DateTime.SpecifyKind(microseconds == long.MinValue ? DateTime.MinValue : DateTime.MaxValue, DateTimeKind.Utc);
        }

        if (microseconds is < MinMicroseconds or > MaxMicroseconds)
        {
            throw new InvalidDataException(
                $"a stored time ({microseconds} µs after 2000-01-01) in price_data is outside .NET's DateTime range (years 1 to 9999); delete or correct that row");
        }

        return new DateTime(EpochTicks + (microseconds * 10), DateTimeKind.Utc);
    }
}
