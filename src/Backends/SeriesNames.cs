using System.Text.RegularExpressions;

namespace Ktrdr.Backends;

/// <summary>
/// What a symbol or timeframe may look like where it becomes part of a file name or URL: nothing that could leave the
/// data directory (no separators, no "..", no leading dot) and nothing a shell or browser would mangle.
/// </summary>
public static partial class SeriesNames
{
    [GeneratedRegex(@"^[A-Za-z0-9^][A-Za-z0-9._\-^=&+]{0,63}$")]
    private static partial Regex SymbolPattern();

    [GeneratedRegex(@"^[0-9]{1,4}(s|m|min|h|d|w|M|mo)$")]
    private static partial Regex TimeframePattern();

    public static bool IsValidSymbol(string? symbol) =>
        symbol is not null && SymbolPattern().IsMatch(symbol) && !symbol.Contains("..", StringComparison.Ordinal);

    public static bool IsValidTimeframe(string? timeframe) => timeframe is not null && TimeframePattern().IsMatch(timeframe);

    /// <summary>What is wrong with the symbol or timeframe, saying what is allowed; null when both are valid.</summary>
    public static string? Problem(SeriesKey key) =>
        !IsValidSymbol(key.Symbol)
            ? $"symbol '{key.Symbol}' is not valid: use 1-64 letters, digits or . _ - ^ = & + (for example AAPL, EURUSD, BRK.B)"
            : !IsValidTimeframe(key.Timeframe)
                ? $"timeframe '{key.Timeframe}' is not valid: use a number and a unit such as 1m, 5m, 15m, 1h, 4h, 1d, 1w"
                : null;

    /// <summary>Throws when either name is not valid, saying what is allowed.</summary>
    /// <exception cref="ArgumentException">The symbol or timeframe is not a valid name.</exception>
    public static void EnsureValid(SeriesKey key)
    {
        if (Problem(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }
    }
}
