using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>Runs of degenerate bars, open = high = low = close, of at least <see cref="QualityOptions.FlatRun"/> bars.</summary>
internal sealed class FlatBarCheck(int minRun, FindingSink sink) : IBarCheck
{
    private BarRun _run;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (bar.Open == bar.High && bar.High == bar.Low && bar.Low == bar.Close)
        {
            _run.Extend(bar.Time);
            return;
        }

        Flush();
    }

    public void Finish() => Flush();

    private void Flush()
    {
        if (_run.Length >= minRun)
        {
            sink.Add(new QualityFinding(QualityKinds.FlatBars, _run.Start, _run.Last, _run.Length, 0, $"{_run.Length} bars with open = high = low = close"));
        }

        _run = default;
    }
}
