namespace Ktrdr.Backends;

/// <summary>The one text of each <see cref="StoreKind"/>, as traces, the API and the CLI show it (the seed's <c>backend_type</c>).</summary>
public static class StoreKindNames
{
    /// <summary><c>csv</c> or <c>timescaledb</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ToName(this StoreKind kind) => kind switch
    {
        StoreKind.Csv => "csv",
        StoreKind.Timescale => "timescaledb",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a store kind"),
    };
}
