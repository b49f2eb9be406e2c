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
            if (!RunStates.IsFinal(latest.State))
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
        html.Append("<h2 id=\"latest-run\">Run ").Append(run.Id).Append(": ").Append(items.Count(i => i.IsFinal)).Append('/').Append(items.Count)
            .Append(" files done <span class=\"label ").Append(LabelClass(run.State)).Append("\">").Append(E(run.State)).Append("</span></h2>");
        if (!run.Range.IsAll)
        {
            html.Append("<p class=\"ktrdr-range\">Range (gap filling): ").Append(E(run.Range.Describe())).Append("</p>");
        }

        AppendAccounting(html, !run.Range.IsAll);
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
                .Append("</td><td><span class=\"label ").Append(LabelClass(item.State)).Append("\">").Append(E(item.State)).Append("</span></td><td>");
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
    private void AppendAccounting(StringBuilder html, bool ranged)
    {
        var counted = model.Items.Where(i => i.RowsRead is not null).ToList();
        long Sum(Func<MigrationItem, long?> count) => counted.Sum(i => count(i) ?? 0);
        var (read, inserted, present, conflicting, rejected) =
            (Sum(i => i.RowsRead), Sum(i => i.Inserted), Sum(i => i.AlreadyPresent), Sum(i => i.Conflicting), Sum(i => i.Rejected));
        var outside = Sum(i => i.OutsideRange);
        var older = Sum(i => i.OlderThanRetention);
        var balanced = read == inserted + present + conflicting + rejected + outside + older;
        html.Append("<p class=\"lead ktrdr-accounting\">read ").Append(N(read)).Append(" = inserted ").Append(N(inserted))
            .Append(" + already present ").Append(N(present)).Append(" + conflicting ").Append(N(conflicting))
            .Append(" + rejected ").Append(N(rejected)).Append(ranged || outside > 0 ? $" + outside the requested range {N(outside)}" : "")
            .Append(older > 0 ? " + older than retention " + N(older) : "").Append(' ')
            .Append(balanced ? "<span class=\"label label-success\">adds up</span>" : "<span class=\"label label-danger\">does not add up</span>")
            .Append(" <small>(").Append(counted.Count).Append(" of ").Append(model.Items.Count).Append(" files counted)</small></p>");
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
        var percent = item.State == ItemStates.Succeeded ? 100 : reached;
        var (style, text) = item.State switch
        {
            ItemStates.Succeeded => ("progress-bar-success", "100%"),
            ItemStates.Failed => ("progress-bar-danger", ""),
            ItemStates.Processing => ("progress-bar-striped active", percent == 0 ? "0%" : $"≈{percent}%"),
            _ => ("", percent == 0 ? "0%" : $"≈{percent}%"),
        };
        html.Append("<div class=\"progress\" style=\"margin-bottom:0\"><div class=\"progress-bar ").Append(style)
            .Append("\" role=\"progressbar\" aria-valuenow=\"").Append(percent).Append("\" aria-valuemin=\"0\" aria-valuemax=\"100\" style=\"min-width:")
            .Append(item.State == ItemStates.Failed ? "0" : "2.5em").Append(";width:").Append(percent).Append("%\">").Append(text).Append("</div></div>");
        if (item.State == ItemStates.Failed)
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
            html.Append("<tr><td>").Append(run.Id).Append("</td><td><span class=\"label ").Append(LabelClass(run.State)).Append("\">").Append(E(run.State))
                .Append("</span></td><td>").Append(Time(run.StartedAt)).Append("</td><td>").Append(run.FinishedAt is { } f ? Time(f) : "")
                .Append("</td><td>").Append(run.ReportPath is { } report
                    ? $"<a href=\"{E(Url.To(MigrationReportDispatcher.Path(run.Id)))}\">{E(report)}</a>" : "").Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    private static string LabelClass(string state) => state switch
    {
        ItemStates.Succeeded => "label-success",
        ItemStates.Failed or RunStates.Partial => "label-danger",
        RunStates.Cancelled => "label-warning",
        ItemStates.Processing or RunStates.Importing or RunStates.Verifying => "label-info",
        _ => "label-default",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
