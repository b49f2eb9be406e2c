using Hangfire;
using Hangfire.Dashboard;
using Ktrdr.Backends;
using Ktrdr.Jobs;
using Microsoft.AspNetCore.Antiforgery;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// <c>POST /hangfire/migration/range</c>, the Migration page's gap-filling form: symbol, timeframe, start and end date
/// (inclusive, a date without a time is a UTC day, as <c>./ktrdr migrate --start-date/--end-date</c>). Enqueues a
/// <see cref="MigrateRangeJob"/> and sends the browser back to the page. Only the operator may start it (a viewer gets
/// 403, as for Hangfire's own buttons), with the page's anti-forgery token; bad values get 400 naming the field and value.
/// </summary>
internal sealed class MigrationRangeDispatcher : IDashboardDispatcher
{
    public const string Route = "/migration/range";

    public async Task Dispatch(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await PlainAsync(http, StatusCodes.Status405MethodNotAllowed, "use the form on the Migration page (POST)");
            return;
        }

        if (context.IsReadOnly)
        {
            await PlainAsync(http, StatusCodes.Status403Forbidden, "read-only access: only the dashboard's operator can start a migration");
            return;
        }

        if (http.RequestServices.GetService<IAntiforgery>() is { } antiforgery && !await antiforgery.IsRequestValidAsync(http))
        {
            await PlainAsync(http, StatusCodes.Status403Forbidden, "the form's anti-forgery token is missing or stale: reload the Migration page and submit again");
            return;
        }

        var symbol = await FieldAsync(context, "symbol");
        var timeframe = await FieldAsync(context, "timeframe");
        string jobId;
        try
        {
            if (!SeriesNames.IsValidSymbol(symbol))
            {
                throw new ArgumentException($"symbol '{symbol}' is not a valid symbol (letters, digits and . _ - ^ = & +)");
            }

            if (!SeriesNames.IsValidTimeframe(timeframe))
            {
                throw new ArgumentException($"timeframe '{timeframe}' is not a valid timeframe (such as 1m, 5m, 15m, 1h, 1d)");
            }

            var range = ImportRange.Parse(await FieldAsync(context, "start-date"), await FieldAsync(context, "end-date"));
            jobId = MigrateRangeJob.Enqueue(http.RequestServices.GetRequiredService<IBackgroundJobClient>(), symbol, timeframe, range);
        }
        catch (ArgumentException ex)
        {
            await PlainAsync(http, StatusCodes.Status400BadRequest, $"{ex.Message}; go back, correct it and submit again");
            return;
        }

        http.Response.Redirect($"{http.Request.PathBase}{MigrationProgressPage.Route}?gap-fill-job={Uri.EscapeDataString(jobId)}", permanent: false);
    }

    private static async Task<string> FieldAsync(DashboardContext context, string name) =>
        (await context.Request.GetFormValuesAsync(name)).FirstOrDefault()?.Trim() ?? "";

    private static async Task PlainAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(message, http.RequestAborted);
    }
}
