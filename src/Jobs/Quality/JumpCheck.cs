using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Close-to-open and close-to-close moves beyond <see cref="QualityOptions.JumpFactor"/> times the series' typical
/// absolute move (an exponential average of absolute returns over about 100 bars) and at least
/// <see cref="QualityOptions.JumpMinPercent"/>: splits, bad ticks. A jump feeds the average only up to the threshold,
/// so one bad tick does not hide the next.
/// </summary>
internal sealed class JumpCheck(double factor, double minPercent, FindingSink sink) : IBarCheck
{
    private const int Warmup = 20;
    private const double Alpha = 2.0 / 101;

    private readonly double _min = minPercent / 100;
    private double _prevClose = double.NaN;
    private double _typical;
    private long _seen;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (!(_prevClose > 0) || !(bar.Open > 0) || !(bar.Close > 0))
        {
            _prevClose = bar.Close;
            return;
        }

        // Simple returns (no logarithm per bar): a move's size is what the report gives, in percent.
        var closeToClose = (bar.Close / _prevClose) - 1;
        var closeToOpen = (bar.Open / _prevClose) - 1;
        var move = Math.Abs(closeToClose);
        if (_seen >= Warmup)
        {
            var threshold = Math.Max(factor * _typical, _min);
            var biggest = Math.Max(Math.Abs(closeToOpen), move);
            if (biggest > threshold)
            {
                var size = Math.Abs(closeToOpen) >= move ? closeToOpen : closeToClose;
                sink.Add(new QualityFinding(QualityKinds.Jump, bar.Time, bar.Time, 1, size * 100, string.Create(CultureInfo.InvariantCulture,
                    $"close-to-open {closeToOpen * 100:+0.0;-0.0}%, close-to-close {closeToClose * 100:+0.0;-0.0}% (close {_prevClose:R} -> open {bar.Open:R}, close {bar.Close:R}); typical move {_typical * 100:0.00}%, {biggest / Math.Max(_typical, 1e-12):0}x")));
            }

            _typical += Alpha * (Math.Min(move, threshold) - _typical);
        }
        else
        {
            _typical += (move - _typical) / (_seen + 1);
        }

        _seen++;
        _prevClose = bar.Close;
    }

    public void Finish()
    {
    }
}
