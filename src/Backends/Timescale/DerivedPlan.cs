namespace Ktrdr.Backends.Timescale;

/// <summary>How a derived series is read: from <see cref="Derivation"/>'s continuous aggregate, or by the aggregation query.</summary>
public sealed record DerivedPlan(SeriesKey Key, Derivation Derivation, bool FromView)
{
    /// <summary>The stored series the bars are aggregated from.</summary>
    public SeriesKey SourceKey => new(Key.Symbol, Derivation.Source);

    public SeriesOrigin Origin => new(Derivation.Source, FromView ? "continuous aggregate" : "aggregated at read time");
}
