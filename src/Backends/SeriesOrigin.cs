namespace Ktrdr.Backends;

/// <summary>
/// Where a series' bars come from: stored as they are, or aggregated from the stored bars of
/// <see cref="DerivedFrom"/> (by a continuous aggregate, or by a query at read time on plain PostgreSQL).
/// </summary>
public sealed record SeriesOrigin(string? DerivedFrom, string? Method)
{
    /// <summary>Bars stored as they are (or no bars at all).</summary>
    public static readonly SeriesOrigin Stored = new(null, null);

    public bool IsDerived => DerivedFrom is not null;

    /// <summary><c>stored</c>, or <c>derived from 1m (continuous aggregate)</c>.</summary>
    public override string ToString() => IsDerived ? $"derived from {DerivedFrom} ({Method})" : "stored";
}
