using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// Parses the timestamp forms found in platform files into UTC: <c>2023-01-02</c> (midnight UTC),
/// <c>2025-01-02 14:35:00</c>, <c>2025-01-02T14:35:00Z</c>, <c>2025-01-02 14:35:00+00:00</c>, other offsets (converted),
/// optional fractions of a second. A value without an offset is UTC.
/// </summary>
public static class CsvTimestamp
{
    private static readonly long MaxTicks = DateTime.MaxValue.Ticks;

    /// <summary>Parses a string (a command-line or URL value); false when it is not a timestamp.</summary>
    public static bool TryParse(string text, out DateTime utc)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(Encoding.UTF8.GetBytes(text), out utc);
    }

    /// <summary>Parses UTF-8 text; false when it is not a timestamp.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime utc) => TryParse(text, out utc, out _);

    /// <summary>
    /// Parses UTF-8 text; false when it is not a timestamp. <paramref name="notes"/> says whether it had no offset
    /// (read as UTC) or more fractional digits than microseconds (kept to 100 ns here, so callers must refuse it
    /// rather than store a changed value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime utc, out CsvTimestampNotes notes)
    {
        text = text.Trim((byte)' ');
        if (TryParseFast(text, out utc, out notes))
        {
            return true;
        }

        // Rare forms (single-digit fields, named zones): the framework's parser is slow but complete.
        Span<char> chars = stackalloc char[64];
        if (text.Length > chars.Length)
        {
            utc = default;
            return false;
        }

        var count = Encoding.UTF8.GetChars(text, chars);
        if (DateTimeOffset.TryParse(chars[..count], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            notes = SlowNotes(chars[..count]);
            return true;
        }

        utc = default;
        notes = CsvTimestampNotes.None;
        return false;
    }

    /// <summary>The notes of a rare form, found by scanning its text (the framework's parser does not say).</summary>
    private static CsvTimestampNotes SlowNotes(ReadOnlySpan<char> text)
    {
        var notes = CsvTimestampNotes.None;
        var dot = text.LastIndexOf('.');
        if (dot > 0 && text[..dot].Contains(':'))
        {
            var digits = 0;
            for (var i = dot + 1; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
            {
                if (digits >= 6 && text[i] != '0')
                {
                    notes |= CsvTimestampNotes.SubMicrosecond;
                }
            }
        }

        if (text.Contains(':') && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && local.Kind == DateTimeKind.Unspecified)
        {
            notes |= CsvTimestampNotes.ReadAsUtc;
        }

        return notes;
    }

    /// <summary>Formats as ISO-8601 UTC: <c>2025-01-02T14:35:00Z</c>, with a fraction only when there is one.</summary>
    public static string Format(DateTime utc) =>
        utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseFast(ReadOnlySpan<byte> s, out DateTime utc, out CsvTimestampNotes notes)
    {
        utc = default;
        notes = CsvTimestampNotes.None;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        if (s.Length == 10)
        {
            utc = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }

        if (s.Length < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':'
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks += (hour * 3600L + minute * 60L + second) * TimeSpan.TicksPerSecond;
        var i = 19;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            long fraction = 0;
            var digits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 7)
                {
                    fraction = fraction * 10 + (s[i] - '0');
                }

                if (digits >= 6 && s[i] != '0')
                {
                    notes |= CsvTimestampNotes.SubMicrosecond;
                }

                digits++;

                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                fraction *= 10;
            }

            ticks += fraction;
        }

        if (i < s.Length)
        {
            var rest = s[i..];
            if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
            {
                i++;
            }
            else if ((rest[0] == '+' || rest[0] == '-') && TryOffset(rest[1..], out var offsetMinutes))
            {
                ticks -= (rest[0] == '+' ? 1 : -1) * offsetMinutes * TimeSpan.TicksPerMinute;
                i = s.Length;
            }
            else
            {
                return false;
            }
        }
        else
        {
            notes |= CsvTimestampNotes.ReadAsUtc;
        }

        if (i != s.Length || ticks < 0 || ticks > MaxTicks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryOffset(ReadOnlySpan<byte> s, out long minutes)
    {
        minutes = 0;
        int hours, mins;
        if (s.Length == 5 && s[2] == ':' && Digits(s, 0, 2, out hours) && Digits(s, 3, 2, out mins))
        {
        }
        else if (s.Length == 4 && Digits(s, 0, 2, out hours) && Digits(s, 2, 2, out mins))
        {
        }
        else if (s.Length == 2 && Digits(s, 0, 2, out hours))
        {
            mins = 0;
        }
        else
        {
            return false;
        }

        if (hours > 14 || mins > 59)
        {
            return false;
        }

        minutes = hours * 60L + mins;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = value * 10 + (int)d;
        }

        return true;
    }
}
