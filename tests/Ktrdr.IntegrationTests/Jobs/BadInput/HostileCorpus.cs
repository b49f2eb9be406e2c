using System.IO.Compression;
using System.Text;

namespace Ktrdr.Tests.Jobs.BadInput;

/// <summary>
/// Hostile files (issue 13 item 4): lines that are not text, files that are compressed or binary, timestamps finer
/// than the database keeps, a header with a column twice. Written by the tests, each as its exact bytes.
/// </summary>
internal static class HostileCorpus
{
    private const string Header = BadInputCorpus.Header;

    /// <summary>Every file: symbol and timeframe, and its exact bytes.</summary>
    public static IEnumerable<(string Symbol, string Timeframe, byte[] Content)> Files()
    {
        // The repro, plus a good line after the bad one.
        yield return ("NUL", "1d", [.. Utf8(Header + "\n2024-01-01 00:00:00+00:00,100,102,99,101,1000\n2024-01-02 00:00:00+00:00,10"), 0x00,
            .. Utf8("0,102,99,101,1000\n2024-01-03 00:00:00+00:00,101,103,100,102,1100\n")]);

        // Latin-1 "café" and a stray 0xFF in an extra column the import ignores: the line is still not text.
        yield return ("BADUTF", "1d", [.. Utf8("timestamp,open,high,low,close,volume,note\n2024-01-01,100,102,99,101,1000,ok\n2024-01-02,100,102,99,101,1000,caf"), 0xE9, 0xFF,
            .. Utf8("\\\n2024-01-03,101,103,100,102,1100,ok\n")]);
        yield return ("GZIPPED", "1d", Gzip(BadInputCorpus.Good(20)));
        yield return ("ZIPPED", "1d", Zip(BadInputCorpus.Good(20)));
        yield return ("BINARY", "1d", [0x7F, .. "ELF"u8, .. new byte[4000], .. Utf8(Header + "\n")]);
        yield return ("SUBMICRO", "1h", Utf8(Header + "\n" + string.Join("\n",
            "2024-01-01 00:00:00.123456,10,11,9,10.5,100",
            "2024-01-01 01:00:00.123456789,10,11,9,10.5,100",
            "2024-01-01 02:00:00.1234567+00:00,10,11,9,10.5,100",
            "2024-01-01 03:00:00.123456000Z,10,11,9,10.5,100") + "\n"));
        yield return ("TWICE", "1d", Utf8("timestamp,open,high,low,close,volume,close\n2024-01-01,10,11,9,10.5,100,10.6\n"));
    }

    /// <summary>A gzip file as <c>gzip</c> writes it.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    private static byte[] Zip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            using var entry = zip.CreateEntry("AAPL_1d.csv").Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
