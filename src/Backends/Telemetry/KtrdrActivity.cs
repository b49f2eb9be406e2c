using System.Diagnostics;

namespace Ktrdr.Backends.Telemetry;

/// <summary>
/// The worker's one <see cref="ActivitySource"/>, its helpers, and the span and attribute names of the stores' traces
/// (the seed's names: <c>timescaledb.save_data</c>, <c>timescaledb.load_data</c>, <c>db.symbol</c>). The migration's
/// own names are Jobs' (<c>Ktrdr.Jobs.Telemetry</c>). Starting a span costs nothing when no tracer listens:
/// <c>Start</c> then returns null and every helper here accepts null.
/// </summary>
public static class KtrdrActivity
{
    /// <summary>The source name to subscribe to (<c>AddSource</c>).</summary>
    public const string SourceName = "Ktrdr.Worker";

    /// <summary>Bars written to <c>price_data</c> (the seed's span).</summary>
    public const string SaveData = "timescaledb.save_data";

    /// <summary>Bars read from <c>price_data</c> (the seed's span).</summary>
    public const string LoadData = "timescaledb.load_data";

    public const string Symbol = "db.symbol";
    public const string Timeframe = "db.timeframe";
    public const string RowsInserted = "ktrdr.rows.inserted";
    public const string RowsAlreadyPresent = "ktrdr.rows.already_present";
    public const string RowsConflicting = "ktrdr.rows.conflicting";
    public const string RowsLoaded = "ktrdr.rows.loaded";

    public static readonly ActivitySource Source = new(SourceName, typeof(KtrdrActivity).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a span (null when nobody listens).</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);

    /// <summary>Starts a span about one series, tagged with <c>db.symbol</c> and <c>db.timeframe</c>.</summary>
    public static Activity? Start(string name, SeriesKey key)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(Symbol, key.Symbol);
        activity?.SetTag(Timeframe, key.Timeframe);
        return activity;
    }

    /// <summary>
    /// Runs <paramref name="body"/> inside <paramref name="activity"/>: on success <paramref name="describe"/> adds the
    /// result's attributes, on failure the span gets the error and the exception goes on unchanged.
    /// </summary>
    public static async Task<T> TraceAsync<T>(Activity? activity, Func<Task<T>> body, Action<Activity, T> describe)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(describe);
        try
        {
            var result = await body();
            if (activity is not null)
            {
                describe(activity, result);
            }

            return result;
        }
        catch (Exception ex) when (Fail(activity, ex))
        {
            throw; // not reached: the filter records the error on the span and lets the exception pass
        }
    }

    /// <summary>
    /// Marks <paramref name="activity"/> failed with <paramref name="exception"/> (status and an <c>exception</c> event).
    /// Returns false, so that it can sit in an exception filter that records without catching.
    /// </summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.AddException(exception);
        }

        return false;
    }
}
