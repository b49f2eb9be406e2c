using System.Diagnostics;

namespace Ktrdr.Backends.Telemetry;

/// <summary>
/// The span and attribute names of the platform's observability spec for the stores (<c>timescaledb.insert</c>,
/// <c>timescaledb.query</c>, <c>data.repository.*</c>), so that its Jaeger queries and dashboards find our work; the
/// migration's steps (<c>csv_import.*</c>, <c>migration.*</c>) are Jobs' (<c>Ktrdr.Jobs.Telemetry.JobPlatformSpans</c>).
/// Emitted beside ours (<see cref="KtrdrActivity"/>, same source): where the platform names a step we also trace under
/// our own name, its span is the child of ours around the same work; where the names agree
/// (<c>timescaledb.save_data</c>, <c>timescaledb.load_data</c>) one span carries both sets of attributes. The mapping,
/// and why there is no span per row (<c>csv_import.check_exists</c>), is in docs/observability-and-security.md.
/// </summary>
public static class PlatformSpans
{
    /// <summary>The writing transaction of a batch (advisory lock, stored-bar walk, binary COPY, merge).</summary>
    public const string TimescaleInsert = "timescaledb.insert";

    /// <summary>One read statement on <c>price_data</c>.</summary>
    public const string TimescaleQuery = "timescaledb.query";

    public const string RepositoryLoad = "data.repository.load";
    public const string RepositoryListSymbols = "data.repository.list_symbols";

    public const string DataSymbol = "data.symbol";
    public const string DataTimeframe = "data.timeframe";

    public const string DbSystem = "db.system";
    public const string DbName = "db.name";
    public const string DbOperation = "db.operation";
    public const string DbRowsAffected = "db.rows_affected";

    /// <summary>Starts a platform span about one series (<c>data.symbol</c>, <c>data.timeframe</c>); null when nobody listens.</summary>
    public static Activity? Start(string name, SeriesKey key)
    {
        var activity = KtrdrActivity.Source.StartActivity(name);
        activity?.SetTag(DataSymbol, key.Symbol);
        activity?.SetTag(DataTimeframe, key.Timeframe);
        return activity;
    }

    /// <summary>Starts a <c>timescaledb.query</c> or <c>timescaledb.insert</c> span with the database attributes.</summary>
    public static Activity? StartDb(string name, string database, string operation, SeriesKey? key = null)
    {
        var activity = KtrdrActivity.Source.StartActivity(name, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(DbSystem, "postgresql");
            activity.SetTag(DbName, database);
            activity.SetTag(DbOperation, operation);
            if (key is { } k)
            {
                activity.SetTag(KtrdrActivity.Symbol, k.Symbol);
                activity.SetTag(KtrdrActivity.Timeframe, k.Timeframe);
            }
        }

        return activity;
    }
}
