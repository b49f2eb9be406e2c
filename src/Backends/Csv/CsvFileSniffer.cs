using System.Globalization;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// Recognises files that are not CSV text from their first bytes (compressed, archived, UTF-16 or binary), so that
/// such a file fails at once with what it looks like and what to do, instead of as thousands of rejected lines or a
/// parser error about a record.
/// </summary>
public static class CsvFileSniffer
{
    /// <summary>Bytes looked at: enough for any magic number and a fair sample for the NUL density.</summary>
    public const int SampleSize = 4096;

    private static readonly (byte[] Magic, string What)[] Magics =
    [
        ([0x1F, 0x8B], "is gzip-compressed, not CSV text: decompress it (gunzip) first"),
        ("PK\u0003\u0004"u8.ToArray(), "is a zip archive, not CSV text: extract it (unzip) first"),
        ("PK\u0005\u0006"u8.ToArray(), "is an empty zip archive, not CSV text: replace it with the platform's CSV export"),
        ("BZh"u8.ToArray(), "is bzip2-compressed, not CSV text: decompress it (bunzip2) first"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "is xz-compressed, not CSV text: decompress it (unxz) first"),
        ([0x28, 0xB5, 0x2F, 0xFD], "is zstd-compressed, not CSV text: decompress it (unzstd) first"),
        ([0xFF, 0xFE], "is UTF-16 text, not UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)"),
        ([0xFE, 0xFF], "is UTF-16 text, not UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)"),
    ];

    /// <summary>
    /// What the file at <paramref name="path"/> looks like when it is not CSV text, as a message that says what to do;
    /// null when its first bytes could be CSV text.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read, or is a directory.</exception>
    public static string? NotText(string path)
    {
        Span<byte> sample = stackalloc byte[SampleSize];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            read = stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        }

        return NotText(sample[..read]);
    }

    /// <summary>What <paramref name="start"/>, the first bytes of a file, look like when they are not CSV text.</summary>
    public static string? NotText(ReadOnlySpan<byte> start)
    {
        foreach (var (magic, what) in Magics)
        {
            if (start.StartsWith(magic))
            {
                return what;
            }
        }

        // Text has no NUL bytes; one stray NUL is a damaged line (rejected on its own), many are a binary file.
        var nuls = start.Count((byte)0);
        return nuls * 8 > start.Length && nuls > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"is binary ({nuls} of its first {start.Length} bytes are NUL), not a CSV text file: replace it with the platform's CSV export")
            : null;
    }
}
