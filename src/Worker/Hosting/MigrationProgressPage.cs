using Hangfire.Dashboard;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The dashboard's "Migration" page (<c>/hangfire/migration</c>, behind the same authorization as the rest), drawn by
/// <see cref="MigrationPage"/> inside Hangfire's own layout and navigation, and the report of a run
/// (<see cref="MigrationReportDispatcher"/>).
/// </summary>
internal sealed class MigrationProgressPage : IDashboardDispatcher
{
    public const string Route = "/migration";
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Adds the pages and the menu entry to Hangfire's (process-wide) dashboard, once.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            DashboardRoutes.Routes.Add(Route, new MigrationProgressPage());
            DashboardRoutes.Routes.Add(MigrationReportDispatcher.Route, new MigrationReportDispatcher());
            DashboardRoutes.Routes.Add(MigrationRangeDispatcher.Route, new MigrationRangeDispatcher());
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
        var quality = runs.Count == 0 ? [] : await http.RequestServices.GetRequiredService<Jobs.Quality.QualityStore>().ForRunAsync(runs[0].Id, http.RequestAborted);
        var model = new MigrationPageModel(runs, items, DateTime.UtcNow)
        {
            Quality = quality,
            AntiforgeryField = http.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>>()?.Value.FormFieldName,
        };

        // Hangfire gives a RazorPage its request, URL helper and layout only through its own (internal) page
        // dispatcher, which AddRazorPage creates. The data is read above, asynchronously and cancellably, so that the
        // page itself only renders (Hangfire's own pages query storage synchronously inside Execute).
        var renderer = new Hangfire.Dashboard.RouteCollection();
        renderer.AddRazorPage(Route, _ => new MigrationPage(model));
        await renderer.FindDispatcher(Route).Item1.Dispatch(context);
    }
}
