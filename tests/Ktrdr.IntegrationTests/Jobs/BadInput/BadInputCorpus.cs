using System.Text;

namespace Ktrdr.Tests.Jobs.BadInput;

/// <summary>
/// The bad and hostile files, written by the tests (nothing large is kept in the repository): one file per case, named
/// <c>{SYMBOL}_{TIMEFRAME}.csv</c> so that the planner picks each one up like a real file.
/// </summary>
internal static class BadInputCorpus
{
    public const string Header = "timestamp,open,high,low,close,volume";

    /// <summary>Files whose names the planner must skip (not SYMBOL_TIMEFRAME.csv with a valid symbol).</summary>
    public static readonly string[] HostileNames =
    [
        "BRK B_1d.csv",
        "O'Brien_1d.csv",
        "X'); DROP TABLE price_data;--_1d.csv",
        "AAPL_1d (copy).csv",
        "\"quoted\"_1d.csv",
        "_1d.csv",
    ];

    /// <summary>Every text case: symbol and timeframe of the file, and its exact bytes.</summary>
    public static IEnumerable<(string Symbol, string Timeframe, byte[] Content)> TextFiles()
    {
        yield return ("EMPTY", "1d", []);
        yield return ("HEADERONLY", "1d", Utf8(Header + "\n"));
        yield return ("EXTRACOLS", "1d", Utf8("date,open,high,low,close,volume,adj_close,dividends\n2024-01-01,10,11,9,10.5,100,10.4,0\n2024-01-02,10.5,12,10,11,200,10.9,0\n2024-01-03,11,11.5,10.5,11.2,300,11.1,0.2\n"));
        yield return ("REORDERED", "1d", Utf8("volume,close,low,high,open,timestamp\n100,10.5,9,11,10,2024-01-01\n200,11,10,12,10.5,2024-01-02\n"));
        yield return ("NOVOLUME", "1d", Utf8("timestamp,open,high,low,close\n2024-01-01,10,11,9,10.5\n"));
        yield return ("UNKNOWNCOLS", "1d", Utf8("when,o,h,l,c,v\n2024-01-01,10,11,9,10.5,100\n"));
        yield return ("SEMICOLON", "1d", Utf8("timestamp;open;high;low;close;volume\n2024-01-01;10;11;9;10.5;100\n"));
        yield return ("BOM", "1d", [0xEF, 0xBB, 0xBF, .. Utf8(Header + "\n2024-01-01,10,11,9,10.5,100\n2024-01-02,10.5,12,10,11,200\n2024-01-03,11,11.5,10.5,11.2,300\n")]);
        yield return ("CRLF", "1h", Utf8(Header + "\r\n2024-01-01 00:00:00,10,11,9,10.5,100\r\n2024-01-01 01:00:00,10.5,12,10,11,200\r\n2024-01-01 02:00:00,11,11.5,10.5,11.2,300\r\n"));
        yield return ("QUOTED", "1d", Utf8(Header + "\n\"2024-01-01\",\"10\",\"11\",\"9\",\"10.5\",\"100\"\n\"2024-01-02\",\"1,000.5\",\"1100\",\"900\",\"1000\",\"5\"\n\"2024-01-03\",10.5,12,10,11,\"200\"\n"));
        yield return ("TRUNCATED", "1d", Utf8(Header + "\n2024-01-01,10,11,9,10.5,100\n2024-01-02,10.5,12,10,11,200\n2024-01-03,11,11.5,10.5,11.2,300\n2024-01-04,11.2,11"));
        yield return ("BADNUMBERS", "1d", Utf8(Header + "\n" + string.Join("\n",
            "2024-01-01,10,11,9,10.5,100",
            "2024-01-02,abc,11,9,10.5,100",
            "2024-01-03,NaN,11,9,10.5,100",
            "2024-01-04,10,Infinity,9,10.5,100",
            "2024-01-05,10,11,-Infinity,10.5,100",
            "2024-01-06,10,11,9,1e999,100",
            "2024-01-07,1.2.3,11,9,10.5,100",
            "2024-01-08,$10,11,9,10.5,100",
            "2024-01-09,10,11,9,10.5,NaN",
            "2024-01-10,,11,9,10.5,100",
            "2024-01-11,0x10,11,9,10.5,100") + "\n"));
        yield return ("FUTURE", "1d", Utf8(Header + "\n2999-06-01,10,11,9,10.5,100\n9999-12-31,10,11,9,10.5,100\n10000-01-01,10,11,9,10.5,100\n"));
        yield return ("PRE1970", "1d", Utf8(Header + "\n0100-03-01,1,1,1,1,0\n1066-10-14,2,2,2,2,0\n1900-01-02,3,3,3,3,0\n1969-12-31 23:59:59,4,4,4,4,0\n"));
        yield return ("NAIVE", "1h", Utf8(Header + "\n2024-03-10 01:00:00,10,11,9,10.5,100\n2024-03-10 02:30:00,10.5,12,10,11,200\n"));
        yield return ("MIXEDOFFSETS", "1h", Utf8(Header + "\n2024-01-01 10:00:00+00:00,10,11,9,10.5,100\n2024-01-01 16:00:00+05:00,10.5,12,10,11,200\n2024-01-01 08:00:00-04:00,11,11.5,10.5,11.2,300\n2024-01-01T13:00:00Z,11.2,12,11,11.5,400\n2024-01-01 14:00:00+99:00,1,1,1,1,1\n"));
        yield return ("DUPLICATES", "1d", Utf8(Header + "\n" + string.Join("\n",
            "2024-01-01,10,11,9,10.5,100",
            "2024-01-01,10,11,9,10.5,100",
            "2024-01-02,10.5,12,10,11,200",
            "2024-01-02,10.5,12,10,11,999",
            "2024-01-03,11,11.5,10.5,11.2,300",
            "2024-01-01,10,11,9,10.5,100",
            "2024-01-03,11,11.5,10.5,11.2,777") + "\n"));
    }

    /// <summary>A 2 GiB file of NUL bytes that takes no disk space (sparse).</summary>
    public static void WriteSparse(string path, long size)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(size);
    }

    /// <summary>A well-formed file of <paramref name="rows"/> daily bars from 2000-01-01.</summary>
    public static byte[] Good(int rows, double shift = 0)
    {
        var text = new StringBuilder(Header).Append('\n');
        var day = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            var p = 100 + i * 0.25 + shift;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day.AddDays(i):yyyy-MM-dd},{p},{p + 1},{p - 1},{p + 0.5},{1000 + i}\n");
        }

        return Utf8(text.ToString());
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
