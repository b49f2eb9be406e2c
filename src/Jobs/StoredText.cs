using System.Globalization;
using System.Text;

namespace Ktrdr.Jobs;

/// <summary>
/// Makes free text (error messages, verification messages, raw lines) storable in a PostgreSQL <c>text</c> column.
/// PostgreSQL refuses NUL characters and Npgsql refuses unpaired UTF-16 surrogates, so a message quoting a binary file
/// (a gzip file named X_1d.csv) would make the very statement that records the failure fail, leaving the item
/// processing forever. Such characters are written as visible escapes instead (<c>\x00</c>, <c>\uD800</c>).
/// </summary>
public static class StoredText
{
    /// <summary>The text with NUL and unpaired surrogates escaped; null stays null, other text is returned as is.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        if (text is null || !NeedsEscaping(text))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                escaped.Append("\\x00");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return true;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
