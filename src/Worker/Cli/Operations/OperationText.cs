using System.Globalization;

namespace Ktrdr.Worker.Cli.Operations;

/// <summary>How times, durations and counts read in <c>operations</c> output.</summary>
internal static class OperationText
{
    public static string Time(DateTime? utc) =>
        utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "-",
        { TotalSeconds: < 60 } s => s.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture),
        { TotalHours: < 1 } s => string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalMinutes}m {s.Seconds:00}s"),
        { } s => string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours}h {s.Minutes:00}m"),
    };

    public static string Duration(DateTime? start, DateTime? end) =>
        start is { } s ? Duration((end ?? DateTime.UtcNow) - s) : "-";

    public static string Count(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    /// <summary>First line of a message, cut to <paramref name="max"/> characters for a table cell.</summary>
    public static string Cell(string? text, int max = 100)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var line = text.Split('\n')[0].Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
