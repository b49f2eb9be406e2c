using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Timeframe mismatch: the most common spacing of the bars is not the file's timeframe (a <c>_1h</c> file with 30-minute
/// steps), or many steps (5% or more) are shorter than it. Spacings are counted in a small table (the first 64
/// distinct ones; the rest only as "other").
/// </summary>
internal sealed class SpacingCheck(TimeSpan? step, string timeframe, FindingSink sink) : IBarCheck
{
    private const int DistinctKept = 64;
    private const double ShorterShare = 0.05;

    private readonly Dictionary<long, (long Count, DateTime First)> _spacings = [];
    private long _lastTicks = -1;
    private long _lastRun;
    private DateTime? _prev;
    private long _steps;
    private long _shorter;
    private DateTime _firstShorter;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (_prev is { } prev && bar.Time > prev)
        {
            var ticks = (bar.Time - prev).Ticks;
            _steps++;
            // The same spacing as the step before (nearly always): counted without the table.
            if (ticks == _lastTicks)
            {
                _lastRun++;
            }
            else
            {
                Count(ticks, bar.Time);
            }

            if (step is { } s && ticks < s.Ticks && _shorter++ == 0)
            {
                _firstShorter = bar.Time;
            }
        }

        _prev = bar.Time;
    }

    private void Count(long ticks, DateTime at)
    {
        FlushRun();
        _lastTicks = ticks;
        if (_spacings.TryGetValue(ticks, out var seen))
        {
            _spacings[ticks] = (seen.Count + 1, seen.First);
        }
        else if (_spacings.Count < DistinctKept)
        {
            _spacings[ticks] = (1, at);
        }
    }

    private void FlushRun()
    {
        if (_lastRun > 0 && _spacings.TryGetValue(_lastTicks, out var seen))
        {
            _spacings[_lastTicks] = (seen.Count + _lastRun, seen.First);
        }

        _lastRun = 0;
    }

    public void Finish()
    {
        FlushRun();
        if (step is not { } s || _steps == 0)
        {
            return;
        }

        var (ticks, (count, first)) = _spacings.MaxBy(kv => kv.Value.Count);
        var share = (double)count / _steps;
        if (ticks != s.Ticks || (double)_shorter / _steps >= ShorterShare)
        {
            var at = ticks < s.Ticks ? first : _firstShorter;
            sink.Add(new QualityFinding(QualityKinds.TimeframeMismatch, at == default ? first : at, _prev!.Value, _shorter, 0, string.Create(CultureInfo.InvariantCulture,
                $"timeframe {timeframe} but the most common spacing is {TimeframeSpan.Format(TimeSpan.FromTicks(ticks))} ({share:P0} of {_steps:N0} steps); {_shorter:N0} steps shorter than {TimeframeSpan.Format(s)}")));
        }
    }
}
