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

    /// <summary>Timestamps with a stored bar and no derived one.</summary>
    public long OnlyStored { get; private set; }

    /// <summary>Timestamps with a derived bar and no stored one.</summary>
    public long OnlyDerived { get; private set; }

    /// <summary>Timestamps with a bar on both sides.</summary>
    public long Both { get; private set; }

    /// <summary>Of <see cref="Both"/>, those whose values differ (<see cref="DerivedVerifier.Same"/>).</summary>
    public long Differing { get; private set; }

    /// <summary>The first timestamp whose bars differ.</summary>
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

    /// <summary>Largest absolute difference of field <paramref name="field"/> (index into <see cref="Fields"/>) over <see cref="Both"/>.</summary>
    public double MaxAbs(int field) => _max[field];

    /// <summary>Mean absolute difference of field <paramref name="field"/> over <see cref="Both"/>; 0 when none.</summary>
    public double MeanAbs(int field) => Both == 0 ? 0 : _sum[field] / Both;
}
