using System.Globalization;

namespace Ktrdr.Worker.Cli;

/// <summary>Median, 95th percentile and maximum of a set of query times, judged against the cutover targets.</summary>
internal sealed record LatencyStats(int Count, TimeSpan Median, TimeSpan P95, TimeSpan Max)
{
    /// <summary>The seed's targets for a data query.</summary>
    public static readonly TimeSpan MedianTarget = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc cref="MedianTarget"/>
    public static readonly TimeSpan P95Target = TimeSpan.FromMilliseconds(1000);

    public bool MeetsTargets => Count > 0 && Median < MedianTarget && P95 < P95Target;

    /// <summary>Nearest-rank percentiles (the p95 of 20 samples is the 19th smallest).</summary>
    public static LatencyStats Of(IReadOnlyCollection<TimeSpan> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return new LatencyStats(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        var sorted = samples.Order().ToArray();
        return new LatencyStats(sorted.Length, Rank(sorted, 0.5), Rank(sorted, 0.95), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} queries: median {Median.TotalMilliseconds:F1} ms, p95 {P95.TotalMilliseconds:F1} ms, max {Max.TotalMilliseconds:F1} ms (targets: median < {MedianTarget.TotalMilliseconds:F0} ms, p95 < {P95Target.TotalMilliseconds:F0} ms)");

    private static TimeSpan Rank(TimeSpan[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
