using System.Globalization;
using Ktrdr.Jobs.Derived;

namespace Ktrdr.Worker.Cli;

/// <summary>The derived-timeframes section of <c>verify</c>: each derived series against its recomputed aggregation.</summary>
internal static class DerivedVerifyText
{
    public static async Task WriteAsync(IReadOnlyList<DerivedCheck> checks, TextWriter output)
    {
        if (checks.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("derived timeframes (each bar against the aggregation of its source bars, recomputed):");
        var table = new TextTable("symbol", "timeframe", "from", "expected", "served", "missing", "extra", "differing", "result");
        foreach (var c in checks)
        {
            table.Add(c.Key.Symbol, c.Key.Timeframe, c.Source, N(c.Expected), N(c.Served), N(c.Missing), N(c.Extra), N(c.Differing), c.Matches ? "ok" : "MISMATCH");
        }

        await table.WriteAsync(output);
        var failed = checks.Where(c => !c.Matches).ToList();
        foreach (var c in failed)
        {
            await output.WriteLineAsync($"  {c.Summary}");
        }

        if (failed.Count > 0)
        {
            await output.WriteLineAsync("  a continuous aggregate not yet refreshed after source bars changed serves stale bars until its refresh policy " +
                "runs (KTRDR_DERIVED_REFRESH_INTERVAL), and './ktrdr db migrate' refreshes every one now; a materialized bar changed by hand is only rebuilt by " +
                "CALL refresh_continuous_aggregate('price_data_SOURCE_TARGET', NULL, NULL, force => true)");
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
