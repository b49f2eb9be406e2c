using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Decodes a binary <c>COPY (SELECT time, open, high, low, close, volume ...) TO STDOUT</c> read over Npgsql's raw COPY
/// stream: PostgreSQL's documented binary COPY format, decoded from large reads at a few nanoseconds per bar, where a
/// data reader spends far more client CPU per row. Values come out as Npgsql gives them (UTC DateTime;
/// -infinity/infinity as DateTime.MinValue/MaxValue). Use: <c>while (await FillAsync()) while (TryRead(out bar)) ...</c>.
/// </summary>
internal sealed class BarCopyReader(NpgsqlRawCopyStream stream)
{
    private const int HeaderBytes = 19; // signature (11), flags (4), header extension length (4)
    private const int RowBytes = 2 + (6 * 12);

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _header = true;
    private bool _done;

    /// <summary>Reads more of the COPY; false once its trailer has been read.</summary>
    /// <exception cref="InvalidDataException">The stream ended without the trailer.</exception>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new InvalidDataException("binary COPY of price_data ended without its trailer");
        }

        _end += read;
        return true;
    }

    /// <summary>The next bar when a whole one is buffered; false when more must be read (or the COPY is done).</summary>
    /// <exception cref="InvalidDataException">The COPY is not of six non-null 8-byte columns.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(out Bar bar)
    {
        bar = default;
        if (_header)
        {
            if (_end < HeaderBytes || _end < HeaderBytes + BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(15)))
            {
                return false;
            }

            _start = HeaderBytes + BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(15));
            _header = false;
        }

        if (_done || _end - _start < 2)
        {
            return false;
        }

        if (BinaryPrimitives.ReadInt16BigEndian(_buffer.AsSpan(_start)) == -1)
        {
            _done = true;
            return false;
        }

        if (_end - _start < RowBytes)
        {
            return false;
        }

        bar = Decode(_buffer.AsSpan(_start, RowBytes));
        _start += RowBytes;
        return true;
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

        return new Bar(PgTimestamp.FromMicroseconds(BinaryPrimitives.ReadInt64BigEndian(row[6..])), BinaryPrimitives.ReadDoubleBigEndian(row[18..]),
            BinaryPrimitives.ReadDoubleBigEndian(row[30..]), BinaryPrimitives.ReadDoubleBigEndian(row[42..]),
            BinaryPrimitives.ReadDoubleBigEndian(row[54..]), BinaryPrimitives.ReadDoubleBigEndian(row[66..]));
    }
}
