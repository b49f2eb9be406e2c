using System.Globalization;
using System.Net;
using System.Text;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Worker.Hosting;

/// <summary>The Migration page's "Data quality" table: the findings of the run's verification per series, by kind (HTML-encoded).</summary>
internal static class QualityPanel
{
    private static readonly (string Title, string[] Kinds)[] Columns =
    [
        ("Gaps", [QualityKinds.Gap]), ("Missing days", [QualityKinds.MissingDay]), ("Session", [QualityKinds.SessionShift, QualityKinds.SessionDisagreement]),
        ("Jumps", [QualityKinds.Jump]), ("Flat runs", [QualityKinds.FlatBars]), ("Stale runs", [QualityKinds.StaleClose]),
        ("Zero-volume runs", [QualityKinds.ZeroVolume]), ("Timeframe", [QualityKinds.TimeframeMismatch]),
    ];

    public static void Append(StringBuilder html, IReadOnlyList<QualitySummary> checks)
    {
        if (checks.Count == 0)
        {
            return;
        }

        html.Append("<h3 id=\"data-quality\">Data quality <small>warnings: ").Append(N(checks.Sum(c => c.Findings))).Append(" finding(s) in ")
            .Append(checks.Count(c => c.Findings > 0)).Append(" of ").Append(checks.Count).Append(" series; listed in the report</small></h3>")
            .Append("<div class=\"table-responsive\"><table class=\"table table-striped ktrdr-quality\"><thead><tr><th>Symbol</th><th>Timeframe</th><th>Bars</th>");
        foreach (var (title, _) in Columns)
        {
            html.Append("<th>").Append(title).Append("</th>");
        }

        html.Append("<th>Missing bars</th><th>Allowed</th></tr></thead><tbody>");
        foreach (var c in checks)
        {
            html.Append(c.Findings > 0 ? "<tr class=\"warning\">" : "<tr>").Append("<td>").Append(E(c.Symbol)).Append("</td><td>").Append(E(c.Timeframe))
                .Append("</td><td class=\"align-right\">").Append(N(c.Bars)).Append("</td>");
            foreach (var (_, kinds) in Columns)
            {
                html.Append("<td class=\"align-right\">").Append(N(kinds.Sum(k => c.Counts.GetValueOrDefault(k)))).Append("</td>");
            }

            html.Append("<td class=\"align-right\">").Append(N(c.MissingBars)).Append("</td><td class=\"align-right\">").Append(N(c.Allowed)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
