using System.Globalization;
using Hangfire.Dashboard;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// <c>/hangfire/migration/report/{run}</c>: the report (MIGRATION_RESULTS.md) a run's verification wrote, as plain text,
/// so that the Migration page can link to it. Only the path recorded for the run is read (never one from the request).
/// </summary>
internal sealed class MigrationReportDispatcher : IDashboardDispatcher
{
    public const string Route = "/migration/report/(?<run>\\d{1,18})";

    public static string Path(long runId) => string.Create(CultureInfo.InvariantCulture, $"/migration/report/{runId}");

    public async Task Dispatch(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var ct = http.RequestAborted;
        var runId = long.Parse(context.UriMatch.Groups["run"].Value, CultureInfo.InvariantCulture);
        var run = await http.RequestServices.GetRequiredService<MigrationRunStore>().GetRunAsync(runId, ct);
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (run?.ReportPath is not { } path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"run {runId} has no report (yet): it is written when the run's verification finishes");
            return;
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"the report of run {runId} cannot be read at {path}: {ex.Message}");
            return;
        }

        await context.Response.WriteAsync(text);
    }
}
