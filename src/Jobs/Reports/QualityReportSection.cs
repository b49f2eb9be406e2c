using System.Globalization;
using System.Text;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Jobs.Reports;

/// <summary>The "Data quality" section of MIGRATION_RESULTS.md: a summary table per series, then the first findings of each.</summary>
public static class QualityReportSection
{
    public static void Append(StringBuilder md, QualityReport? quality)
    {
        ArgumentNullException.ThrowIfNull(md);
        if (quality is null)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        md.AppendLine().AppendLine("## Data quality").AppendLine();
        md.AppendLine(c, $"Warnings, never failures (unless `--fail-on quality`): {quality.Total:N0} finding(s) in {quality.Series.Count(s => s.Total > 0)} of {quality.Series.Count} series, {quality.Bars:N0} bars read once from the database in {quality.Elapsed.TotalSeconds:F2} s. Every finding is counted; the first ones of each series are listed here and stored in `quality_findings`.").AppendLine();
        md.AppendLine("| Symbol | Timeframe | Bars | Gaps | Missing bars | Missing days | Session shifts | Jumps | Flat runs | Stale runs | Zero-volume runs | Timeframe mismatch | Allowed |");
        md.AppendLine("|--------|-----------|-----:|-----:|-------------:|-------------:|---------------:|------:|----------:|-----------:|-----------------:|-------------------:|--------:|");
        foreach (var s in quality.Series)
        {
            md.AppendLine(c, $"| {Cell(s.Symbol)} | {Cell(s.Timeframe)} | {s.Bars:N0} | {s.Count(QualityKinds.Gap):N0} | {s.MissingBars:N0} | {s.Count(QualityKinds.MissingDay):N0} | {s.Count(QualityKinds.SessionShift) + s.Count(QualityKinds.SessionDisagreement):N0} | {s.Count(QualityKinds.Jump):N0} | {s.Count(QualityKinds.FlatBars):N0} | {s.Count(QualityKinds.StaleClose):N0} | {s.Count(QualityKinds.ZeroVolume):N0} | {s.Count(QualityKinds.TimeframeMismatch):N0} | {s.Allowed:N0} |");
        }

        foreach (var s in quality.Series.Where(s => s.Total > 0 && quality.Shown > 0))
        {
            var shown = s.Findings.Take(quality.Shown).ToList();
            md.AppendLine().AppendLine(c, $"### {Cell(s.Symbol)} {Cell(s.Timeframe)}: first {shown.Count} of {s.Total:N0} finding(s)").AppendLine();
            md.AppendLine("| Kind | Start (UTC) | End (UTC) | Bars | Size | Detail |").AppendLine("|------|-------------|-----------|-----:|-----:|--------|");
            foreach (var f in shown)
            {
                md.AppendLine(c, $"| {f.Kind} | {Time(f.Start)} | {Time(f.End)} | {f.Bars:N0} | {(f.Size == 0 ? "" : f.Size.ToString("0.##", c))} | {Cell(f.Detail)} |");
            }
        }

        var notes = quality.Series.SelectMany(s => s.Notes.Where(n => !n.StartsWith("session ", StringComparison.Ordinal)).Select(n => $"{s.Symbol} {s.Timeframe}: {n}")).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var note in notes)
            {
                md.AppendLine(c, $"- {Cell(note)}");
            }
        }
    }

    private static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
