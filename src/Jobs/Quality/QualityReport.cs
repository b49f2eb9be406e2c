namespace Ktrdr.Jobs.Quality;

/// <summary>The quality findings of several series (one check of each), with how many findings per series a report shows.</summary>
public sealed record QualityReport(IReadOnlyList<SeriesQuality> Series, int Shown, TimeSpan Elapsed)
{
    public long Bars => Series.Sum(s => s.Bars);

    public long Total => Series.Sum(s => s.Total);

    public double BarsPerSecond => Bars / Math.Max(Elapsed.TotalSeconds, 1e-3);
}
