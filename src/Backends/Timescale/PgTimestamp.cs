namespace Ktrdr.Backends.Timescale;

/// <summary>
/// timestamptz in PostgreSQL's binary format, as Npgsql maps it: microseconds since 2000-01-01 UTC (truncated toward
/// zero), with -infinity/infinity for DateTime.MinValue/MaxValue. One mapping for the COPY writer and reader alike.
/// </summary>
internal static class PgTimestamp
{
    private const long EpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z
    private const long MinMicroseconds = -EpochTicks / 10;
    private const long MaxMicroseconds = (3_155_378_975_999_999_999 - EpochTicks) / 10; // DateTime.MaxValue

    public static long ToMicroseconds(DateTime time) =>
        time == DateTime.MinValue ? long.MinValue
        : time == DateTime.MaxValue ? long.MaxValue
        : (time.Ticks - EpochTicks) / 10;

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
