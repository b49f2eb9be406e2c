using System.Text;
using System.Text.Json;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Worker.Cli;
using Npgsql;

namespace Ktrdr.Worker.Api;

/// <summary>
/// The read API the platform's training and backtesting use after the cutover, served by <c>serve</c>:
/// <c>GET /api/v1/data/{symbol}/{timeframe}?start=&amp;end=</c> (JSON, or CSV with <c>Accept: text/csv</c>) and
/// <c>GET /api/v1/symbols?timeframe=</c>. Everything goes through <see cref="DataRepository"/>, so the store in force
/// (DB_TYPE) answers. Bars stream: a response never holds a whole series in memory. Behind the dashboard's gate
/// (<see cref="ApiAccessFilter"/>): local requests, or the configured credentials.
/// </summary>
internal static class DataEndpoints
{
    public const string BackendHeader = "X-Ktrdr-Backend";

    /// <summary><c>stored</c>, or <c>derived from 1m (continuous aggregate)</c>: where the bars of a series come from.</summary>
    public const string SeriesHeader = "X-Ktrdr-Series";
    private const int FlushBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapKtrdrApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiAccessFilter>();
        api.MapGet("/data/{symbol}/{timeframe}", GetBarsAsync);
        api.MapGet("/symbols", GetSymbolsAsync);
        return app;
    }

    private static async Task GetBarsAsync(HttpContext context, string symbol, string timeframe, string? start, string? end,
        DataRepository repository, CancellationToken ct)
    {
        var key = new SeriesKey(symbol, timeframe);
        if (SeriesNames.Problem(key) is { } nameError)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, nameError);
            return;
        }

        if (!TryDate(start, "start", out var from, out var dateError) || !TryDate(end, "end", out var to, out dateError))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, dateError!);
            return;
        }

        if (from is { } f && to is { } t && f >= t)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"start {BarText.Time(f)} must be before end {BarText.Time(t)}");
            return;
        }

        context.Response.Headers[BackendHeader] = repository.Kind.ToName();
        try
        {
            var origin = await repository.OriginAsync(key, ct);
            context.Response.Headers[SeriesHeader] = origin.ToString();
            await using var bars = repository.LoadAsync(key, from, to, ct).GetAsyncEnumerator(ct);
            var any = await bars.MoveNextAsync();
            if (!any && await repository.GetDateRangeAsync(key, ct) is null)
            {
                await ErrorAsync(context, StatusCodes.Status404NotFound,
                    $"no data for symbol '{key.Symbol}' timeframe '{key.Timeframe}': see /api/v1/symbols?timeframe={key.Timeframe}");
                return;
            }

            var csv = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
            await (csv ? WriteCsvAsync(context, bars, any, ct) : WriteJsonAsync(context, key, origin, from, to, bars, any, ct));
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidDataException or CsvFileException && !context.Response.HasStarted)
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"the {repository.Kind.ToName()} store failed: {ex.Message}");
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, SeriesKey key, SeriesOrigin origin, DateTime? from, DateTime? to,
        IAsyncEnumerator<Bar> bars, bool any, CancellationToken ct)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("symbol", key.Symbol);
        json.WriteString("timeframe", key.Timeframe);
        json.WriteString("derived_from", origin.DerivedFrom);
        json.WriteString("start", from is { } f ? BarText.Time(f) : null);
        json.WriteString("end", to is { } t ? BarText.Time(t) : null);
        json.WriteStartArray("bars");
        long count = 0;
        for (var more = any; more; more = await bars.MoveNextAsync())
        {
            var bar = bars.Current;
            json.WriteStartObject();
            json.WriteString("time", BarText.Time(bar.Time));
            json.WriteNumber("open", bar.Open);
            json.WriteNumber("high", bar.High);
            json.WriteNumber("low", bar.Low);
            json.WriteNumber("close", bar.Close);
            json.WriteNumber("volume", bar.Volume);
            json.WriteEndObject();
            count++;
            if (json.BytesPending > FlushBytes)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        json.WriteNumber("count", count);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static async Task WriteCsvAsync(HttpContext context, IAsyncEnumerator<Bar> bars, bool any, CancellationToken ct)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), FlushBytes) { NewLine = "\n" };
        await writer.WriteLineAsync(BarText.Header);
        for (var more = any; more; more = await bars.MoveNextAsync())
        {
            await writer.WriteLineAsync(BarText.Line(bars.Current));
        }

        await writer.FlushAsync(ct);
    }

    private static async Task GetSymbolsAsync(HttpContext context, string? timeframe, DataRepository repository, CancellationToken ct)
    {
        if (timeframe is not null && !SeriesNames.IsValidTimeframe(timeframe))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"timeframe '{timeframe}' is not valid: use a number and a unit such as 1m, 5m, 1h, 1d");
            return;
        }

        context.Response.Headers[BackendHeader] = repository.Kind.ToName();
        var symbols = await repository.ListSymbolsAsync(timeframe, ct);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("timeframe", timeframe);
        json.WriteStartArray("symbols");
        foreach (var symbol in symbols)
        {
            json.WriteStringValue(symbol);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static bool TryDate(string? value, string name, out DateTime? utc, out string? error)
    {
        (utc, error) = (null, null);
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Length <= 64 && CsvTimestamp.TryParse(value, out var parsed))
        {
            utc = parsed;
            return true;
        }

        error = $"{name} '{(value.Length <= 64 ? value : value[..64] + "…")}' is not a date: use YYYY-MM-DD or ISO-8601 such as 2024-01-02T14:30:00Z (UTC unless an offset is given)";
        return false;
    }

    public static async Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteNumber("status", status);
        json.WriteString("error", message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
