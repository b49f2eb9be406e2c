using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// The quality checks of one series, fed its bars once in time order (<see cref="Add"/>) and asked for the result at the
/// end (<see cref="Finish"/>). Pure: no I/O, so tests drive it with bars of their own. Memory does not grow with the
/// series: each check keeps a few arrays and the findings kept are bounded (<see cref="QualityOptions.MaxFindings"/>).
/// </summary>
public sealed class SeriesQualityAnalyzer
{
    private readonly SeriesKey _key;
    private readonly FindingSink _sink;
    private readonly IBarCheck[] _checks;
    private readonly GapCheck _gaps;
    private readonly SessionShiftCheck? _shift;
    private readonly SessionCalendar? _calendar;
    private long _bars;
    private DateTime? _first;
    private DateTime _last;

    public SeriesQualityAnalyzer(SeriesKey key, QualityOptions options, QualityRules rules)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rules);
        _key = key;
        _sink = new FindingSink(key, rules, options.MaxFindings);
        TimeSpan? step = TimeframeSpan.TryParse(key.Timeframe, out var span) ? span : null;
        _calendar = rules.SessionOf(key.Symbol);
        _gaps = new GapCheck(step, _calendar, options, _sink);
        var checks = new List<IBarCheck>
        {
            _gaps,
            new JumpCheck(options.JumpFactor, options.JumpMinPercent, _sink),
            new FlatBarCheck(options.FlatRun, _sink),
            new StaleCloseCheck(options.StaleRun, _sink),
            new ZeroVolumeCheck(options.ZeroVolumeRun, _sink),
            new SpacingCheck(step, key.Timeframe, _sink),
        };
        if (step is { } s && s < TimeSpan.FromDays(1))
        {
            _shift = new SessionShiftCheck(options.ShiftHours, _sink);
            checks.Add(_shift);
        }

        _checks = [.. checks];
    }

    /// <summary>The next bar; bars must come in ascending time order.</summary>
    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        _bars++;
        _first ??= bar.Time;
        _last = bar.Time;
        foreach (var check in _checks)
        {
            check.Add(bar);
        }
    }

    public SeriesQuality Finish()
    {
        foreach (var check in _checks)
        {
            check.Finish();
        }

        var notes = new List<string>();
        if (!_gaps.Enabled)
        {
            notes.Add($"gaps not checked: timeframe {_key.Timeframe} has no bar slots of 1 minute to 1 day");
        }
        else if (_gaps.TooShort)
        {
            notes.Add("gaps not checked: under two weeks of bars, too short to learn a session");
        }
        else
        {
            notes.Add(_calendar is null ? "session learned from the series' own history" : $"session {_calendar} (rules file)");
        }

        if (_gaps.WeeksNotJudged > 0)
        {
            notes.Add($"{_gaps.WeeksNotJudged} week(s) not judged for gaps: most bars outside the learned session (see session-shift)");
        }

        return new SeriesQuality(_key.Symbol, _key.Timeframe, _bars, _first, _first is null ? null : _last, _sink.Counts, _sink.MissingBars,
            _sink.Allowed, _sink.Kept(), notes)
        {
            HourProfile = _shift?.Profile,
        };
    }
}
