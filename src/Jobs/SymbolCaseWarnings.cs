namespace Ktrdr.Jobs;

/// <summary>
/// Symbols that differ only in case (<c>aapl_1d.csv</c> beside <c>AAPL_1h.csv</c>): symbols are case-sensitive, so
/// they become different series in the database, which is rarely what was meant. Warned about, never merged.
/// </summary>
public static class SymbolCaseWarnings
{
    /// <summary>One warning per symbol that differs only in case from another, in symbol order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        return symbols.Distinct(StringComparer.Ordinal)
            .GroupBy(s => s, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .SelectMany(g =>
            {
                var ordered = g.Order(StringComparer.Ordinal).ToList();
                return ordered.Skip(1).Select(other =>
                    $"symbol '{other}' differs only in case from '{ordered[0]}': they are imported as different series; rename the files if they are the same symbol");
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
