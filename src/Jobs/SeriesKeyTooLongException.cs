using System.Globalization;
using Ktrdr.Backends;

namespace Ktrdr.Jobs;

/// <summary>
/// A file's symbol or timeframe is longer than <c>price_data</c>'s column allows (a platform table with
/// <c>varchar(32)</c>/<c>varchar(8)</c>): the file fails at once, with a message naming the column and its length,
/// instead of the server's bare 22001. Permanent: no retry can make it fit.
/// </summary>
public sealed class SeriesKeyTooLongException : Exception
{
    public SeriesKeyTooLongException()
    {
    }

    public SeriesKeyTooLongException(string message)
        : base(message)
    {
    }

    public SeriesKeyTooLongException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Throws when <paramref name="key"/> does not fit columns of the given lengths (null: unbounded).</summary>
    public static void ThrowIfTooLong(string filePath, SeriesKey key, int? symbolLength, int? timeframeLength)
    {
        Check(filePath, "symbol", key.Symbol, symbolLength);
        Check(filePath, "timeframe", key.Timeframe, timeframeLength);
    }

    private static void Check(string filePath, string column, string value, int? length)
    {
        if (length is { } max && value.Length > max)
        {
            throw new SeriesKeyTooLongException(string.Create(CultureInfo.InvariantCulture,
                $"{filePath}: {column} '{value}' is {value.Length} characters, but price_data.{column} is varchar({max}) and holds at most {max}: nothing of this file was written. Rename the file with a shorter {column}, or widen the column (ALTER TABLE price_data ALTER COLUMN {column} TYPE varchar(n))"));
        }
    }
}
