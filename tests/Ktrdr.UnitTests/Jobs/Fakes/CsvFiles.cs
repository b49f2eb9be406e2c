using System.Globalization;
using System.Text;
using Ktrdr.Backends;

namespace Ktrdr.Tests.Jobs.Fakes;

/// <summary>CSV series files in a temporary data directory, and the bars they hold.</summary>
internal sealed class CsvFiles : IDisposable
{
    public const string Header = "timestamp,open,high,low,close,volume";

    public string DataDir { get; } = Directory.CreateTempSubdirectory("seams-csv-").FullName;

    /// <summary>Daily bars from 2024-01-01, bar i with open 100 + i.</summary>
    public static List<Bar> Daily(int count, int from = 0) => Enumerable.Range(from, count)
        .Select(i => new Bar(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i), 100 + i, 101 + i, 99 + i, 100.5 + i, 1000 + i))
        .ToList();

    public string Write(string name, IEnumerable<Bar> bars, params string[] extraLines)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var b in bars)
        {
            text.Append(CultureInfo.InvariantCulture, $"{b.Time:yyyy-MM-dd},{b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.Volume:R}\n");
        }

        foreach (var line in extraLines)
        {
            text.Append(line).Append('\n');
        }

        return WriteText(name, text.ToString());
    }

    public string WriteText(string name, string text)
    {
        var path = Path.Combine(DataDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(DataDir, recursive: true);
}
