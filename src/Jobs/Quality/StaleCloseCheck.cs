using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>Runs of at least <see cref="QualityOptions.StaleRun"/> bars with the same close (the first bar of the value included).</summary>
internal sealed class StaleCloseCheck(int minRun, FindingSink sink) : IBarCheck
{
    private BarRun _run;
    private double _close = double.NaN;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (bar.Close == _close)
        {
            _run.Extend(bar.Time);
            return;
        }

        Flush();
        _close = bar.Close;
        _run.Extend(bar.Time);
    }

    public void Finish() => Flush();

    private void Flush()
    {
        if (_run.Length >= minRun)
        {
            sink.Add(new QualityFinding(QualityKinds.StaleClose, _run.Start, _run.Last, _run.Length, 0,
                string.Create(CultureInfo.InvariantCulture, $"close unchanged at {_close:R} for {_run.Length} bars")));
        }

        _run = default;
    }
}
