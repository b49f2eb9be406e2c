using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Decodes a binary <c>COPY (SELECT time, open, high, low, close, volume ...) TO STDOUT</c> read over Npgsql's raw COPY
/// stream: PostgreSQL's documented binary COPY format, decoded in large reads at a few nanoseconds per bar, where a
/// data reader spends far more client CPU per row. Values come out as Npgsql gives them (UTC DateTime;
/// -infinity/infinity as DateTime.MinValue/MaxValue).
/// </summary>
internal static class BarCopyReader
{
    private const int HeaderBytes = 19; // signature (11), flags (4), header extension length (4)
    private const int RowBytes = 2 + (6 * 12);
    private const long PostgresEpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z
    private const long MinMicroseconds = -PostgresEpochTicks / 10;
    private const long MaxMicroseconds = (3_155_378_975_999_999_999 - PostgresEpochTicks) / 10; // DateTime.MaxValue

    /// <summary>The bars of the COPY on <paramref name="stream"/>, in the order the server sends them.</summary>
    /// <exception cref="InvalidDataException">The stream is not a binary COPY of six non-null 8-byte columns.</exception>
    public static async IAsyncEnumerable<Bar> ReadAsync(NpgsqlRawCopyStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        var header = true;
        while (true)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException("binary COPY of price_data ended without its trailer");
            }

            end += read;
            if (header)
            {
                if (end < HeaderBytes || end < HeaderBytes + BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(15)))
                {
                    continue;
                }

                start = HeaderBytes + BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(15));
                header = false;
            }

            while (end - start >= 2)
            {
                var fields = BinaryPrimitives.ReadInt16BigEndian(buffer.AsSpan(start));
                if (fields == -1)
                {
                    yield break;
                }

                if (end - start < RowBytes)
                {
                    break;
                }

                yield return Decode(buffer.AsSpan(start, RowBytes));
                start += RowBytes;
            }
        }
    }

    private static Bar Decode(ReadOnlySpan<byte> row)
    {
        if (BinaryPrimitives.ReadInt16BigEndian(row) != 6)
        {
            throw new InvalidDataException($"binary COPY row of price_data has {BinaryPrimitives.ReadInt16BigEndian(row)} fields, expected 6");
        }

        for (var at = 2; at < RowBytes; at += 12)
        {
            if (BinaryPrimitives.ReadInt32BigEndian(row[at..]) != 8)
            {
                throw new InvalidDataException("binary COPY row of price_data has a field that is not 8 bytes (a NULL?)");
            }
        }

        return new Bar(Time(BinaryPrimitives.ReadInt64BigEndian(row[6..])), BinaryPrimitives.ReadDoubleBigEndian(row[18..]),
            BinaryPrimitives.ReadDoubleBigEndian(row[30..]), BinaryPrimitives.ReadDoubleBigEndian(row[42..]),
            BinaryPrimitives.ReadDoubleBigEndian(row[54..]), BinaryPrimitives.ReadDoubleBigEndian(row[66..]));
    }

    private static DateTime Time(long microseconds)
    {
        if (microseconds is long.MinValue or long.MaxValue)
        {
            return DateTime.SpecifyKind(microseconds == long.MinValue ? DateTime.MinValue : DateTime.MaxValue, DateTimeKind.Utc);
        }

        if (microseconds < MinMicroseconds || microseconds > MaxMicroseconds)
        {
            throw new InvalidDataException($"a stored time ({microseconds} µs after 2000-01-01) is outside .NET's DateTime range");
        }

        return new DateTime(PostgresEpochTicks + (microseconds * 10), DateTimeKind.Utc);
    }
}
