using Ktrdr.Backends;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Worker.Cli;

/// <summary>Checks of command-line values, each failing with a message that names the option and what it takes.</summary>
internal static class CliArguments
{
    public static SeriesKey Series(string symbol, string timeframe)
    {
        var key = new SeriesKey(symbol, timeframe);
        SeriesNames.EnsureValid(key);
        return key;
    }

    public static DateTime? Date(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return CsvTimestamp.TryParse(value, out var utc)
            ? utc
            : throw new ArgumentException($"{option} '{value}' is not a date: use YYYY-MM-DD or ISO-8601 such as 2024-01-02T14:30:00Z");
    }

    /// <summary>A comma-separated list; empty means "all".</summary>
    public static IReadOnlyList<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyList<string> Symbols(string? value)
    {
        var symbols = List(value);
        foreach (var s in symbols.Where(s => !SeriesNames.IsValidSymbol(s)))
        {
            throw new ArgumentException($"--symbols: '{s}' is not a valid symbol (letters, digits and . _ - ^ = & +)");
        }

        return symbols;
    }

    public static IReadOnlyList<string> Timeframes(string? value)
    {
        var timeframes = List(value);
        foreach (var t in timeframes.Where(t => !SeriesNames.IsValidTimeframe(t)))
        {
            throw new ArgumentException($"--timeframes: '{t}' is not a valid timeframe (such as 1m, 5m, 15m, 1h, 1d)");
        }

        return timeframes;
    }
}
