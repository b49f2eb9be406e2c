using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// Byte-level checks of one raw data line. PostgreSQL text cannot hold a NUL byte (SQLSTATE 22021) and a line that is
/// not UTF-8 cannot be stored as it stands, so such a line is rejected on its own and kept escaped, instead of failing
/// its whole file when the rejected line is recorded.
/// </summary>
public static class CsvLineBytes
{
    /// <summary>Reason of a line with a NUL byte.</summary>
    public const string NulByte = "NUL byte in the line";

    /// <summary>Reason of a line that is not valid UTF-8.</summary>
    public const string InvalidUtf8 = "invalid UTF-8 in the line";

    /// <summary>Why <paramref name="raw"/> cannot be read as text; null when it can (the common case, two vector scans).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Problem(ReadOnlySpan<byte> raw) =>
        raw.Contains((byte)0) ? NulByte : Utf8.IsValid(raw) ? null : InvalidUtf8;

    /// <summary>
    /// <paramref name="raw"/> as text: valid UTF-8 as it stands, NUL and every byte of an invalid sequence as
    /// <c>\xNN</c>, and a backslash as <c>\\</c> (so that the stored text maps back to the exact bytes).
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length + 16);
        while (!raw.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(raw, out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                for (var i = 0; i < consumed; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{raw[i]:x2}");
                }
            }
            else if (rune.Value == 0)
            {
                text.Append("\\x00");
            }
            else if (rune.Value == '\\')
            {
                text.Append("\\\\");
            }
            else
            {
                text.Append(rune.ToString());
            }

            raw = raw[consumed..];
        }

        return text.ToString();
    }
}
