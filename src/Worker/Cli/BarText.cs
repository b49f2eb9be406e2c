using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Worker.Cli;

/// <summary>How bars appear on stdout: the same text whichever backend served them.</summary>
internal static class BarText
{
    public const string Header = "timestamp,open,high,low,close,volume";

    public static string Line(in Bar bar) => string.Join(',',
        CsvTimestamp.Format(bar.Time),
        Number(bar.Open), Number(bar.High), Number(bar.Low), Number(bar.Close), Number(bar.Volume));

    public static string Time(DateTime utc) => CsvTimestamp.Format(utc);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
