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

    // One delegate, so that the menu can be searched for it.
    private static readonly Func<RazorPage, MenuItem> MenuEntry =
        page => new MenuItem("Migration", page.Url.To(Route)) { Active = page.RequestPath.StartsWith(Route, StringComparison.Ordinal) };

    /// <summary>
    /// Adds the pages and the menu entry to Hangfire's dashboard unless they are there. Hangfire keeps both
    /// process-wide (<see cref="DashboardRoutes.Routes"/>, which the container's route collection also is, and
    /// <see cref="NavigationMenu.Items"/>, which its layout reads) and offers no per-host alternative; the routes are
    /// the same for every host, so each host adds what is missing, and a second host in the process adds nothing.
    /// </summary>
    public static void Register()
    {
        lock (NavigationMenu.Items)
        {
            AddRoute(Route, Route, new MigrationProgressPage());
            AddRoute(MigrationReportDispatcher.Route, "/migration/report/1", new MigrationReportDispatcher());
            AddRoute(MigrationRangeDispatcher.Route, MigrationRangeDispatcher.Route, new MigrationRangeDispatcher());
            if (!NavigationMenu.Items.Contains(MenuEntry))
            {
                NavigationMenu.Items.Add(MenuEntry);
            }
        }
    }

    /// <summary>Adds <paramref name="dispatcher"/> unless one of its type already answers <paramref name="samplePath"/>.</summary>
    private static void AddRoute<TDispatcher>(string route, string samplePath, TDispatcher dispatcher)
        where TDispatcher : IDashboardDispatcher
    {
        // The collection cannot be listed; asking it which dispatcher answers a path of the route is what it offers.
        if (DashboardRoutes.Routes.FindDispatcher(samplePath)?.Item1 is not TDispatcher)
        {
            DashboardRoutes.Routes.Add(route, dispatcher);
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
