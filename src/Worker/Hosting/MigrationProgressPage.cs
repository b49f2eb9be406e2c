using System.Globalization;
using System.Net;
using System.Text;
using Hangfire.Dashboard;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The dashboard's "Migration" page (<c>/hangfire/migration</c>, behind the same authorization as the rest): the latest
/// runs, and every file of the newest one by symbol and timeframe with its state, progress, counts and error. Refreshes
/// itself while a run is in progress. Every value is HTML-encoded: file names and errors come from the outside.
/// </summary>
internal sealed class MigrationProgressPage : IDashboardDispatcher
{
    public const string Route = "/migration";
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Adds the page and its menu entry to Hangfire's (process-wide) dashboard, once.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            DashboardRoutes.Routes.Add(Route, new MigrationProgressPage());
            NavigationMenu.Items.Add(page => new MenuItem("Migration", page.Url.To(Route)) { Active = page.RequestPath.StartsWith(Route, StringComparison.Ordinal) });
            _registered = true;
        }
    }

    public async Task Dispatch(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var store = http.RequestServices.GetRequiredService<MigrationRunStore>();
        var runs = await store.ListRunsAsync(5, http.RequestAborted);
        var items = runs.Count == 0 ? [] : await store.GetItemsAsync(runs[0].Id, http.RequestAborted);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Render(context.Request.PathBase, runs, items));
    }

    private static string Render(string dashboard, IReadOnlyList<MigrationRun> runs, IReadOnlyList<MigrationItem> items)
    {
        var html = new StringBuilder();
        var inProgress = runs.Count > 0 && !RunStates.IsFinal(runs[0].State);
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Migration - Ktrdr.Worker</title>");
        html.Append(inProgress ? "<meta http-equiv=\"refresh\" content=\"2\">" : "");
        html.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}")
            .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}td.n{text-align:right}.failed{color:#b00}.succeeded{color:#070}</style></head><body>");
        html.Append("<h1>Migration</h1><p><a href=\"").Append(E(dashboard)).Append("\">Back to the dashboard</a></p>");
        if (runs.Count == 0)
        {
            return html.Append("<p>No migration run yet: trigger <em>migrate-all</em> on the Recurring Jobs page.</p></body></html>").ToString();
        }

        html.Append("<h2>Runs</h2><table><tr><th>Run</th><th>State</th><th>Started (UTC)</th><th>Finished (UTC)</th><th>Report</th></tr>");
        foreach (var run in runs)
        {
            html.Append("<tr><td>").Append(run.Id).Append("</td><td class=\"").Append(E(run.State)).Append("\">").Append(E(run.State))
                .Append("</td><td>").Append(Time(run.StartedAt)).Append("</td><td>").Append(run.FinishedAt is { } f ? Time(f) : "")
                .Append("</td><td>").Append(E(run.ReportPath ?? "")).Append("</td></tr>");
        }

        var latest = runs[0];
        html.Append("</table><h2>Run ").Append(latest.Id).Append(": ").Append(items.Count(i => i.IsFinal)).Append('/').Append(items.Count)
            .Append(" files done</h2><table><tr><th>Symbol</th><th>Timeframe</th><th>State</th><th>Attempts</th><th>Rows done</th>")
            .Append("<th>Inserted</th><th>Already present</th><th>Conflicting</th><th>Rejected</th><th>Verified</th><th>Error</th></tr>");
        foreach (var item in items)
        {
            html.Append("<tr><td>").Append(E(item.Symbol)).Append("</td><td>").Append(E(item.Timeframe))
                .Append("</td><td class=\"").Append(E(item.State)).Append("\">").Append(E(item.State))
                .Append("</td><td class=\"n\">").Append(item.Attempts).Append("</td><td class=\"n\">").Append(N(item.RowsDone))
                .Append("</td><td class=\"n\">").Append(N(item.Inserted)).Append("</td><td class=\"n\">").Append(N(item.AlreadyPresent))
                .Append("</td><td class=\"n\">").Append(N(item.Conflicting)).Append("</td><td class=\"n\">").Append(N(item.Rejected))
                .Append("</td><td>").Append(item.Verified switch { true => "yes", false => "no: " + E(item.VerifyMessage ?? ""), null => "" })
                .Append("</td><td class=\"failed\">").Append(E(item.Error ?? "")).Append("</td></tr>");
        }

        return html.Append("</table></body></html>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
