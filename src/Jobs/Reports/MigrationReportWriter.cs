using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ktrdr.Jobs.Reports;

/// <summary>Writes <c>MIGRATION_RESULTS.md</c> (for people) and <c>migration_results_&lt;timestamp&gt;.json</c> (for programs).</summary>
public static class MigrationReportWriter
{
    public const string MarkdownName = "MIGRATION_RESULTS.md";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new TextMappingJsonConverter<ReportStatus>(ReportStatusText.Report), new TextMappingJsonConverter<ReportItemStatus>(ReportStatusText.Item) },
    };

    /// <summary>Writes both files into <paramref name="directory"/> (created when missing).</summary>
    /// <returns>The paths of the Markdown and JSON files.</returns>
    public static async Task<(string Markdown, string Json)> WriteAsync(MigrationReport report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, MarkdownName);
        var json = Path.Combine(directory, $"migration_results_{report.GeneratedAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}_run{report.RunId}.json");
        await File.WriteAllTextAsync(markdown, Render(report), cancellationToken);
        await File.WriteAllTextAsync(json, ToJson(report), cancellationToken);
        return (markdown, json);
    }

    /// <summary>The JSON file's text: snake_case fields, statuses as their report text (<see cref="ReportStatusText"/>).</summary>
    public static string ToJson(MigrationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Json);
    }

    public static string Render(MigrationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("# TimescaleDB Migration Results").AppendLine();
        md.AppendLine(c, $"**Date**: {report.GeneratedAt:yyyy-MM-dd HH:mm:ss} UTC  ");
        md.AppendLine(c, $"**Run**: {report.RunId} (data directory `{report.DataDir}`)  ");
        if (report.Range is { } range)
        {
            md.AppendLine(c, $"**Range**: {range.Description}; only these bars were imported and verified  ");
        }

        md.AppendLine(c, $"**Status**: {(report.Success ? "✅ SUCCESS" : $"⚠️ PARTIAL ({s.Failed} failures)")}").AppendLine();
        md.AppendLine("## Summary").AppendLine();
        md.AppendLine(c, $"- **Total Symbols**: {s.TotalSymbols} ({s.TotalSeries} symbol/timeframe files)");
        md.AppendLine(c, $"- **Successful**: {s.Successful}");
        md.AppendLine(c, $"- **Failed**: {s.Failed}");
        md.AppendLine(c, $"- **Success Rate**: {s.SuccessRate:F1}%");
        md.AppendLine(c, $"- **Total Rows**: {s.TotalRows:N0} read = {s.Inserted:N0} inserted + {s.AlreadyPresent:N0} already present + {s.Conflicting:N0} conflicting + {s.Rejected:N0} rejected{(report.Range is null && s.OutsideRange == 0 ? "" : $" + {s.OutsideRange:N0} outside the requested range")}{OlderThanRetention(s)}");
        md.AppendLine(c, $"- **Volumes normalized** (-1 sentinel stored as 0): {s.Normalized:N0}");
        md.AppendLine(c, $"- **Total Duration**: {s.DurationSeconds:F2}s");
        md.AppendLine(c, $"- **Average Speed**: {s.RowsPerSecond:N0} rows/sec").AppendLine();
        md.AppendLine("## Detailed Results").AppendLine();
        md.AppendLine("| Symbol | Timeframe | Rows | Inserted | Present | Conflicting | Rejected | Start Date | End Date | Duration (s) | Status |");
        md.AppendLine("|--------|-----------|-----:|---------:|--------:|------------:|---------:|------------|----------|-------------:|--------|");
        foreach (var i in report.Items)
        {
            md.AppendLine(c, $"| {Cell(i.Symbol)} | {Cell(i.Timeframe)} | {i.Read:N0} | {i.Inserted:N0} | {i.AlreadyPresent:N0} | {i.Conflicting:N0} | {i.Rejected:N0} | {Date(i.StartDate)} | {Date(i.EndDate)} | {i.DurationSeconds:F2} | {Icon(i.Status)} |");
        }

        var failures = report.Items.Where(i => i.Status != ReportItemStatus.Ok).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine().AppendLine("## Failures").AppendLine();
            foreach (var f in failures)
            {
                md.AppendLine(c, $"- **{Cell(f.Symbol)} {Cell(f.Timeframe)}** ({f.Status.ToText()}, {f.Attempts} attempt(s)): {Cell(f.Error ?? f.Verification ?? "not verified")}");
            }
        }

        if (report.Range is not null)
        {
            md.AppendLine().AppendLine("## Outside the Requested Range").AppendLine();
            md.AppendLine("Lines whose bar lies outside the range were read and counted, not imported, and not compared.").AppendLine();
            foreach (var i in report.Items)
            {
                md.AppendLine(c, $"- {Cell(i.Symbol)} {Cell(i.Timeframe)}: {i.OutsideRange:N0} lines outside the requested range");
            }
        }

        var naive = report.Items.Where(i => i.ReadAsUtc > 0).ToList();
        if (naive.Count > 0)
        {
            md.AppendLine().AppendLine("## Timestamps Read as UTC").AppendLine();
            md.AppendLine("Lines whose timestamp has a time of day but no offset (`2024-01-02 14:30:00`) are taken as UTC.").AppendLine();
            foreach (var i in naive)
            {
                md.AppendLine(c, $"- {Cell(i.Symbol)} {Cell(i.Timeframe)}: {i.ReadAsUtc:N0} lines read as UTC");
            }
        }

        RenderOlderThanRetention(md, report);
        if (report.Warnings.Count > 0)
        {
            md.AppendLine().AppendLine("## Warnings").AppendLine();
            foreach (var warning in report.Warnings)
            {
                md.AppendLine(c, $"- {Cell(warning)}");
            }
        }

        QualityReportSection.Append(md, report.Quality);
        if (report.Rejections.Count > 0)
        {
            md.AppendLine().AppendLine("## Rejected Rows").AppendLine();
            md.AppendLine("Bad input lines were not imported; every one is in the `rejected_rows` table (file, line, raw text, reason).").AppendLine();
            foreach (var r in report.Rejections)
            {
                md.AppendLine(c, $"### {Cell(r.Symbol)} {Cell(r.Timeframe)} (`{r.FilePath}`)").AppendLine();
                foreach (var (reason, count) in r.ByReason.OrderByDescending(x => x.Value))
                {
                    md.AppendLine(c, $"- {Cell(reason)}: {count:N0}");
                }

                md.AppendLine().AppendLine("| Line | Reason | Raw line |").AppendLine("|-----:|--------|----------|");
                foreach (var line in r.First)
                {
                    md.AppendLine(c, $"| {line.Line} | {Cell(line.Reason)} | `{Cell(line.RawLine)}` |");
                }

                md.AppendLine();
            }
        }

        return md.ToString();
    }

    private static string OlderThanRetention(ReportSummary s) =>
        s.OlderThanRetention > 0 ? string.Create(CultureInfo.InvariantCulture, $" + {s.OlderThanRetention:N0} older than retention") : "";

    /// <summary>The bars the run left out because a retention policy would delete them (migrate --skip-older-than-retention).</summary>
    private static void RenderOlderThanRetention(StringBuilder md, MigrationReport report)
    {
        var left = report.Items.Where(i => i.OlderThanRetention > 0).ToList();
        if (left.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        md.AppendLine().AppendLine("## Older Than Retention (left out)").AppendLine();
        md.AppendLine("Good bars before the retention policy's cutoff, left out by choice (`--skip-older-than-retention`): the policy would delete them. Not imported, not damage; verification and the nightly job do not re-import them.").AppendLine();
        md.AppendLine("| Symbol | Timeframe | Rows left out | From | To | Cutoff |").AppendLine("|--------|-----------|--------------:|------|----|--------|");
        foreach (var i in left)
        {
            md.AppendLine(c, $"| {Cell(i.Symbol)} | {Cell(i.Timeframe)} | {i.OlderThanRetention:N0} | {Stamp(i.OlderFirstTime)} | {Stamp(i.OlderLastTime)} | {Stamp(i.RetentionCutoff)} |");
        }
    }

    private static string Stamp(DateTime? d) => d?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "N/A";

    private static string Date(DateTime? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "N/A";

    private static string Icon(ReportItemStatus status) => status switch
    {
        ReportItemStatus.Ok => "✅",
        ReportItemStatus.Mismatch => "❌ mismatch",
        ReportItemStatus.Unverified => "⚠️ unverified",
        _ => "❌",
    };

    // Text from files and errors must not break the table or inject Markdown.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
