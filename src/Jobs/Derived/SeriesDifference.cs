using Ktrdr.Backends;

namespace Ktrdr.Jobs.Derived;

/// <summary>
/// How a stored series differs from the derived one of the same timeframe (vendor 1h bars against 1h aggregated from
/// 1m): bars only in one, bars at the same time with other values, and per field the largest and mean absolute
/// difference over the bars both have. Fed one joined pair at a time (<see cref="BarMerge"/>).
/// </summary>
public sealed class SeriesDifference
{
    /// <summary>open, high, low, close, volume.</summary>
    public static readonly IReadOnlyList<string> Fields = ["open", "high", "low", "close", "volume"];

    private readonly double[] _max = new double[5];
    private readonly double[] _sum = new double[5];

    public long OnlyStored { get; private set; }

    public long OnlyDerived { get; private set; }

    public long Both { get; private set; }

    public long Differing { get; private set; }

    public DateTime? FirstDiffering { get; private set; }

    /// <summary>Counts one timestamp: the stored bar, the derived bar, or both.</summary>
    public void Add(Bar? stored, Bar? derived)
    {
        if (stored is not { } s)
        {
            OnlyDerived += derived is null ? 0 : 1;
            return;
        }

        if (derived is not { } d)
        {
            OnlyStored++;
            return;
        }

        Both++;
        if (!DerivedVerifier.Same(s, d))
        {
            Differing++;
            FirstDiffering ??= s.Time;
        }

        Span<double> diffs = [Math.Abs(s.Open - d.Open), Math.Abs(s.High - d.High), Math.Abs(s.Low - d.Low), Math.Abs(s.Close - d.Close), Math.Abs(s.Volume - d.Volume)];
        for (var i = 0; i < diffs.Length; i++)
        {
            _max[i] = Math.Max(_max[i], diffs[i]);
            _sum[i] += diffs[i];
        }
    }

    public double MaxAbs(int field) => _max[field];

    public double MeanAbs(int field) => Both == 0 ? 0 : _sum[field] / Both;
}
