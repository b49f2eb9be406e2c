using System.Globalization;
using System.Text;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Tests.Jobs.Quality;

namespace Ktrdr.Tests.Quality;

/// <summary>CSV files of generated hourly bars with planted faults (<see cref="FaultySeries"/>), for the real CLI to migrate.</summary>
internal static class FaultyFiles
{
    /// <summary>FAULTY (every fault), SHIFTED (+5 h from a date), CLEAN and CLEAN2 (session only), HALF (30-minute bars in a 1h file).</summary>
    public static async Task WriteAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await WriteAsync(Path.Combine(directory, "FAULTY_1h.csv"), FaultySeries.WithFaults());
        await WriteAsync(Path.Combine(directory, "SHIFTED_1h.csv"), FaultySeries.Shifted());
        await WriteAsync(Path.Combine(directory, "CLEAN_1h.csv"), FaultySeries.Clean());
        await WriteAsync(Path.Combine(directory, "CLEAN2_1h.csv"), FaultySeries.Clean(9));
        await WriteAsync(Path.Combine(directory, "HALF_1h.csv"), FaultySeries.HalfHourly());
    }

    private static async Task WriteAsync(string path, IEnumerable<Bar> bars)
    {
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        foreach (var b in bars)
        {
            text.Append(CultureInfo.InvariantCulture, $"{CsvTimestamp.Format(b.Time)},{b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.Volume:R}\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());
    }

    /// <summary>A bar time as the report writes it.</summary>
    public static string Report(DateTime time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A bar time as the CLI writes it.</summary>
    public static string Cli(DateTime time) => CsvTimestamp.Format(time);
}
