using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Runs of at least <see cref="QualityOptions.ZeroVolumeRun"/> zero-volume bars in a series that has volume (FX files
/// carry none, so a series without any volume has no finding). A run ends at a bar with volume, so by then the series
/// is known to have volume; only the run at the very end waits for the whole series.
/// </summary>
internal sealed class ZeroVolumeCheck(int minRun, FindingSink sink) : IBarCheck
{
    private BarRun _run;
    private bool _hasVolume;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (bar.Volume == 0)
        {
            _run.Extend(bar.Time);
            return;
        }

        _hasVolume = true;
        Flush();
    }

    public void Finish()
    {
        if (_hasVolume)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_run.Length >= minRun)
        {
            sink.Add(new QualityFinding(QualityKinds.ZeroVolume, _run.Start, _run.Last, _run.Length, 0, $"{_run.Length} bars with zero volume"));
        }

        _run = default;
    }
}
