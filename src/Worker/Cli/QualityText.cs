using System.Globalization;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Worker.Cli;

/// <summary>Data-quality findings on the command line: a table per series, then the first findings of each.</summary>
internal static class QualityText
{
    private static readonly string[] Columns = ["gaps", "missing bars", "missing days", "session", "jumps", "flat", "stale", "zero vol", "spacing", "allowed"];

    public static async Task WriteAsync(QualityReport report, TextWriter output)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"data quality (warnings): {report.Series.Count} series, {report.Bars:N0} bars read in {report.Elapsed.TotalSeconds:F2} s ({report.BarsPerSecond:N0} bars/s)"));
        var table = new TextTable(["symbol", "timeframe", "bars", .. Columns]);
        foreach (var s in report.Series)
        {
            table.Add([s.Symbol, s.Timeframe, N(s.Bars), .. Cells(s.Counts, s.MissingBars, s.Allowed)]);
        }

        await table.WriteAsync(output);
        foreach (var s in report.Series.Where(s => s.Total > 0 && report.Shown > 0))
        {
            var shown = s.Findings.Take(report.Shown).ToList();
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{s.Symbol} {s.Timeframe}: first {shown.Count} of {N(s.Total)} finding(s)");
            foreach (var f in shown)
            {
                await output.WriteLineAsync($"  {Line(f)}");
            }
        }

        foreach (var s in report.Series)
        {
            foreach (var note in s.Notes.Where(n => !n.StartsWith("session ", StringComparison.Ordinal)))
            {
                await output.WriteLineAsync($"note: {s.Symbol} {s.Timeframe}: {note}");
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"data quality: {N(report.Total)} finding(s) in {report.Series.Count(s => s.Total > 0)} of {report.Series.Count} series");
    }

    /// <summary>The stored checks of a run (for <c>operations status</c>).</summary>
    public static async Task WriteStoredAsync(QualityStore store, IReadOnlyList<QualitySummary> checks, int shown, TextWriter output, CancellationToken ct)
    {
        if (checks.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"data quality (warnings; checked {OperationsTime(checks.Max(c => c.CheckedAt))}): {N(checks.Sum(c => c.Findings))} finding(s) in {checks.Count(c => c.Findings > 0)} of {checks.Count} series");
        var table = new TextTable(["symbol", "timeframe", "bars", .. Columns]);
        foreach (var c in checks)
        {
            table.Add([c.Symbol, c.Timeframe, N(c.Bars), .. Cells(c.Counts, c.MissingBars, c.Allowed)]);
        }

        await table.WriteAsync(output);
        foreach (var c in checks.Where(c => c.Findings > 0 && shown > 0))
        {
            await output.WriteLineAsync($"  {c.Symbol} {c.Timeframe}:");
            foreach (var f in await store.FindingsAsync(c.Id, shown, ct))
            {
                await output.WriteLineAsync($"    {Line(f)}");
            }
        }
    }

    public static string Line(QualityFinding f) =>
        $"{f.Kind,-20} {BarText.Time(f.Start)}{(f.End != f.Start ? $" .. {BarText.Time(f.End)}" : "")}  {f.Detail}";

    private static string[] Cells(IReadOnlyDictionary<string, long> counts, long missingBars, long allowed)
    {
        long C(string kind) => counts.GetValueOrDefault(kind);
        return [N(C(QualityKinds.Gap)), N(missingBars), N(C(QualityKinds.MissingDay)), N(C(QualityKinds.SessionShift) + C(QualityKinds.SessionDisagreement)),
            N(C(QualityKinds.Jump)), N(C(QualityKinds.FlatBars)), N(C(QualityKinds.StaleClose)), N(C(QualityKinds.ZeroVolume)), N(C(QualityKinds.TimeframeMismatch)), N(allowed)];
    }

    private static string OperationsTime(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
