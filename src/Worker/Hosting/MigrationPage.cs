using System.Globalization;
using System.Net;
using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The Migration page inside Hangfire's layout (its navigation, styles and footer): the newest run with its accounting
/// line and report link, every file with a progress bar, rows/s, attempts, counts and error, and the latest runs.
/// Refreshes itself while the run imports or verifies. Every value is HTML-encoded: file names and errors come from
/// the outside.
/// </summary>
internal sealed class MigrationPage(MigrationPageModel model) : RazorPage
{
    // A running file's rate is shown only after this long: a few milliseconds of watching made rates like 670,448
    // rows/s. A finished file's rate is its rows over its whole import, however short.
    private static readonly TimeSpan MinimumForRate = TimeSpan.FromSeconds(1);

    public override void Execute()
    {
        Layout = new LayoutPage("Migration");
        var html = new StringBuilder("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Migration</h1>");
        if (!IsReadOnly)
        {
            AppendGapFillForm(html);
        }

        if (model.Runs.Count == 0)
        {
            html.Append("<div class=\"alert alert-info\">No migration run yet: trigger <em>migrate-all</em> on the <a href=\"")
                .Append(E(Url.To("/recurring"))).Append("\">Recurring Jobs</a> page.</div>");
        }
        else
        {
            var latest = model.Runs[0];
            if (!latest.State.IsFinal())
            {
                html.Append("<meta http-equiv=\"refresh\" content=\"2\">");
            }

            AppendLatest(html, latest);
            AppendRuns(html);
        }

        WriteLiteral(html.Append("</div></div>").ToString());
    }

    private void AppendLatest(StringBuilder html, MigrationRun run)
    {
        var items = model.Items;
        var totals = RunTotals.Of(items);
        html.Append("<h2 id=\"latest-run\">Run ").Append(run.Id).Append(": ").Append(totals.Final).Append('/').Append(totals.Files)
            .Append(" files done ").Append(Label(run.State)).Append("</h2>");
        if (!run.Range.IsAll)
        {
            html.Append("<p class=\"ktrdr-range\">Range (gap filling): ").Append(E(run.Range.Describe())).Append("</p>");
        }

        AppendAccounting(html, totals, !run.Range.IsAll);
        html.Append("<p>Report: ").Append(run.ReportPath is { } report
            ? $"<a class=\"ktrdr-report\" href=\"{E(Url.To(MigrationReportDispatcher.Path(run.Id)))}\">{E(report)}</a>"
            : "<em>written when the verification finishes</em>").Append("</p>");
        if (run.Error is { } error)
        {
            html.Append("<div class=\"alert alert-danger\">").Append(E(error)).Append("</div>");
        }

        html.Append("<div class=\"table-responsive\"><table class=\"table table-striped ktrdr-items\"><thead><tr>")
            .Append("<th>Symbol</th><th>Timeframe</th><th>State</th><th class=\"min-width-200p\">Progress</th><th>Rows</th><th>Rows/s</th>")
            .Append("<th>Attempts</th><th>Read</th><th>Inserted</th><th>Already present</th><th>Conflicting</th><th>Rejected</th><th>Outside range</th><th>Verified</th><th>Error</th>")
            .Append("</tr></thead><tbody>");
        var bytesPerRow = BytesPerRow(items);
        foreach (var item in items)
        {
            html.Append("<tr><td>").Append(E(item.Symbol)).Append("</td><td>").Append(E(item.Timeframe))
                .Append("</td><td>").Append(Label(item.State)).Append("</td><td>");
            AppendProgress(html, item, bytesPerRow);
            html.Append("</td><td class=\"align-right\">").Append(N(item.RowsDone)).Append("</td><td class=\"align-right\">").Append(Rate(item))
                .Append("</td><td class=\"align-right\">").Append(item.Attempts).Append("</td><td class=\"align-right\">").Append(N(item.RowsRead))
                .Append("</td><td class=\"align-right\">").Append(N(item.Inserted)).Append("</td><td class=\"align-right\">").Append(N(item.AlreadyPresent))
                .Append("</td><td class=\"align-right\">").Append(N(item.Conflicting)).Append("</td><td class=\"align-right\">").Append(N(item.Rejected))
                .Append("</td><td class=\"align-right\">").Append(N(item.OutsideRange))
                .Append("</td><td>").Append(item.Verified switch { true => "yes", false => "no: " + E(item.VerifyMessage ?? ""), null => "" })
                .Append("</td><td class=\"text-danger word-break\">").Append(E(item.Error ?? "")).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
        QualityPanel.Append(html, model.Quality);
    }

    /// <summary>The promise of the migration, for the files that have finished: every line read is accounted for.</summary>
    private static void AppendAccounting(StringBuilder html, RunTotals totals, bool ranged)
    {
        var c = totals.Counts;
        html.Append("<p class=\"lead ktrdr-accounting\">read ").Append(N(c.Read)).Append(" = inserted ").Append(N(c.Inserted))
            .Append(" + already present ").Append(N(c.AlreadyPresent)).Append(" + conflicting ").Append(N(c.Conflicting))
            .Append(" + rejected ").Append(N(c.Rejected)).Append(ranged || c.OutsideRange > 0 ? $" + outside the requested range {N(c.OutsideRange)}" : "")
            .Append(c.OlderThanRetention > 0 ? " + older than retention " + N(c.OlderThanRetention) : "").Append(' ')
            .Append(c.Balances ? "<span class=\"label label-success\">adds up</span>" : "<span class=\"label label-danger\">does not add up</span>")
            .Append(" <small>(").Append(totals.Counted).Append(" of ").Append(totals.Files).Append(" files counted)</small></p>");
    }

    /// <summary>
    /// A succeeded file is full; a failed one shows how far it got (a full red bar read as "all imported"); a running
    /// one is estimated from its size and the bytes per line of the run's finished files (the store keeps no line count
    /// before the end), and held below 100% until it finishes.
    /// </summary>
    private static void AppendProgress(StringBuilder html, MigrationItem item, double bytesPerRow)
    {
        var reached = item.FileSize == 0 || item.RowsDone == 0 ? 0
            : Math.Min(99, (int)(100 * item.RowsDone * bytesPerRow / item.FileSize));
        var percent = item.State == ItemState.Succeeded ? 100 : reached;
        var (style, text) = item.State switch
        {
            ItemState.Succeeded => ("progress-bar-success", "100%"),
            ItemState.Failed => ("progress-bar-danger", ""),
            ItemState.Processing => ("progress-bar-striped active", percent == 0 ? "0%" : $"≈{percent}%"),
            _ => ("", percent == 0 ? "0%" : $"≈{percent}%"),
        };
        html.Append("<div class=\"progress\" style=\"margin-bottom:0\"><div class=\"progress-bar ").Append(style)
            .Append("\" role=\"progressbar\" aria-valuenow=\"").Append(percent).Append("\" aria-valuemin=\"0\" aria-valuemax=\"100\" style=\"min-width:")
            .Append(item.State == ItemState.Failed ? "0" : "2.5em").Append(";width:").Append(percent).Append("%\">").Append(text).Append("</div></div>");
        if (item.State == ItemState.Failed)
        {
            // Under the bar: inside, a short bar would cut the words off.
            html.Append("<small class=\"text-danger ktrdr-failed-at\">").Append(percent == 0 ? "failed" : $"failed at ≈{percent}%").Append("</small>");
        }
    }

    /// <summary>Gap filling: one symbol and timeframe, only the bars of a date range (POST to <see cref="MigrationRangeDispatcher"/>).</summary>
    private void AppendGapFillForm(StringBuilder html)
    {
        html.Append("<form class=\"form-inline ktrdr-gap-fill\" method=\"post\" action=\"").Append(E(Url.To(MigrationRangeDispatcher.Route))).Append("\">")
            .Append("<strong>Gap filling</strong> (one file, only the bars of a range; dates inclusive, a date alone is a UTC day): ");
        foreach (var (name, label, hint) in new[] { ("symbol", "Symbol", "AAPL"), ("timeframe", "Timeframe", "5m"), ("start-date", "Start date", "2024-01-01"), ("end-date", "End date", "2024-01-31") })
        {
            html.Append("<label>").Append(label).Append(" <input class=\"form-control input-sm\" name=\"").Append(name).Append("\" placeholder=\"").Append(hint)
                .Append("\" size=\"10\"></label> ");
        }

        if (model.AntiforgeryField is { } field && Context.AntiforgeryToken is { } token)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(E(field)).Append("\" value=\"").Append(E(token)).Append("\">");
        }

        html.Append("<button type=\"submit\" class=\"btn btn-sm btn-primary\">Import range</button></form><hr>");
    }

    private static double BytesPerRow(IReadOnlyList<MigrationItem> items)
    {
        var finished = items.Where(i => i.RowsRead > 0).ToList();
        var rows = finished.Sum(i => i.RowsRead!.Value + 1); // + 1: the header line
        return rows > 0 ? (double)finished.Sum(i => i.FileSize) / rows : 60; // 60: a typical OHLCV line
    }

    private string Rate(MigrationItem item)
    {
        if (item.StartedAt is not { } started || item.RowsDone == 0)
        {
            return "";
        }

        var elapsed = (item.FinishedAt ?? model.Now) - started;
        return elapsed <= TimeSpan.Zero || (item.FinishedAt is null && elapsed < MinimumForRate) ? "" : N((long)(item.RowsDone / elapsed.TotalSeconds));
    }

    private void AppendRuns(StringBuilder html)
    {
        html.Append("<h3>Latest runs</h3><div class=\"table-responsive\"><table class=\"table table-striped ktrdr-runs\"><thead><tr>")
            .Append("<th>Run</th><th>State</th><th>Started (UTC)</th><th>Finished (UTC)</th><th>Report</th></tr></thead><tbody>");
        foreach (var run in model.Runs)
        {
            html.Append("<tr><td>").Append(run.Id).Append("</td><td>").Append(Label(run.State))
                .Append("</td><td>").Append(Time(run.StartedAt)).Append("</td><td>").Append(run.FinishedAt is { } f ? Time(f) : "")
                .Append("</td><td>").Append(run.ReportPath is { } report
                    ? $"<a href=\"{E(Url.To(MigrationReportDispatcher.Path(run.Id)))}\">{E(report)}</a>" : "").Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    private static string Label(RunState state) => Label(state.ToText(), state switch
    {
        RunState.Succeeded => "label-success",
        RunState.Partial => "label-danger",
        RunState.Cancelled => "label-warning",
        _ => "label-info",
    });

    private static string Label(ItemState state) => Label(state.ToText(), state switch
    {
        ItemState.Succeeded => "label-success",
        ItemState.Failed => "label-danger",
        ItemState.Processing => "label-info",
        _ => "label-default",
    });

    private static string Label(string text, string style) => $"<span class=\"label {style}\">{E(text)}</span>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
