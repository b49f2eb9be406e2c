using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Missing bars against the series' own session. The week is cut into bar slots (a 1h series has 168); a slot is in
/// session when the rules file says so (<see cref="SessionCalendar"/>) or, learned from history, when at least
/// <see cref="QualityOptions.SessionPresence"/> of recent weeks had a bar there (a histogram per slot, decayed by a
/// quarter each week, so a session that moves is relearned within a few weeks). Weekends, nights and other closed slots
/// are therefore never gaps.
/// <para>
/// One pass, bounded memory: a hole between two bars is held as two slot numbers until its week ends and is judged
/// against the weeks before it (the first <see cref="QualityOptions.WarmupWeeks"/> weeks are held until they are
/// learned). A week with many bars outside the learned session (a timezone shift, which <see cref="SessionShiftCheck"/>
/// reports) is not judged. So memory is a few arrays of slots per week plus the holes of the current week.
/// </para>
/// A hole is reported as a gap (first and last missing bar, how many), and each whole session day inside it as a
/// missing day.
/// </summary>
internal sealed class GapCheck : IBarCheck
{
    private const double Decay = 0.75;
    private const double OffProfileShare = 0.25;
    private const long MaxSlotsWalked = 20_000_000;

    private readonly long _slot;
    private readonly long _perWeek;
    private readonly long _perDay;
    private readonly bool _daily;
    private readonly SessionCalendar? _calendar;
    private readonly double _presence;
    private readonly int _warmup;
    private readonly FindingSink _sink;
    private readonly double[] _weight = [];
    private readonly bool[] _present = [];
    private readonly bool[] _expected = [];
    private readonly int[] _expectedPerDay = new int[7];
    private readonly List<(long From, long To)> _pending = [];
    private double _weeks;
    private int _folded;
    private long _week = long.MinValue;
    private long _prev = -1;
    private int _barsThisWeek;
    private int _unexpectedThisWeek;

    public GapCheck(TimeSpan? step, SessionCalendar? calendar, QualityOptions options, FindingSink sink)
    {
        _sink = sink;
        _calendar = calendar;
        _presence = options.SessionPresence;
        _warmup = options.WarmupWeeks;
        if (step is not { } s || s < TimeSpan.FromMinutes(1) || s > TimeSpan.FromDays(1) || TimeSpan.TicksPerDay % s.Ticks != 0)
        {
            return;
        }

        _slot = s.Ticks;
        _daily = s == TimeSpan.FromDays(1);
        _perDay = TimeSpan.TicksPerDay / s.Ticks;
        _perWeek = _perDay * 7;
        _weight = new double[_perWeek];
        _present = new bool[_perWeek];
        _expected = new bool[_perWeek];
        if (calendar is not null)
        {
            for (var i = 0; i < _perWeek; i++)
            {
                _expected[i] = calendar.IsOpen(Time(i), _daily);
            }

            CountPerDay();
        }
    }

    /// <summary>Whether the timeframe has slots to judge (1 minute to 1 day, dividing a day).</summary>
    public bool Enabled => _perWeek > 0;

    /// <summary>Weeks not judged because most of their bars were outside the learned session.</summary>
    public int WeeksNotJudged { get; private set; }

    /// <summary>Whether the series was too short to learn its session (fewer than two weeks).</summary>
    public bool TooShort { get; private set; }

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        if (!Enabled || bar.Time.Ticks < 0)
        {
            return;
        }

        var slot = bar.Time.Ticks / _slot;
        var week = slot / _perWeek;
        if (week != _week)
        {
            RollOver();
            _week = week;
        }

        if (_prev >= 0 && slot > _prev + 1)
        {
            _pending.Add((_prev, slot));
        }

        if (slot != _prev)
        {
            var inWeek = slot % _perWeek;
            if (_calendar is null && _folded >= _warmup && !_expected[inWeek])
            {
                _unexpectedThisWeek++;
            }

            _present[inWeek] = true;
            _barsThisWeek++;
        }

        _prev = Math.Max(_prev, slot);
    }

    public void Finish()
    {
        if (!Enabled)
        {
            return;
        }

        RollOver();
        if (_calendar is null && _folded < _warmup)
        {
            if (_folded >= 2)
            {
                JudgePending();
            }
            else
            {
                TooShort = _prev >= 0;
                _pending.Clear();
            }
        }
    }

    private void RollOver()
    {
        if (_barsThisWeek == 0)
        {
            return;
        }

        if (_calendar is not null)
        {
            JudgePending();
        }
        else if (_folded >= _warmup)
        {
            if (_unexpectedThisWeek > OffProfileShare * _barsThisWeek)
            {
                WeeksNotJudged++;
                _pending.Clear();
            }
            else
            {
                JudgePending();
            }

            Fold();
        }
        else
        {
            Fold();
            if (_folded >= _warmup)
            {
                JudgePending();
            }
        }

        _barsThisWeek = 0;
        _unexpectedThisWeek = 0;
    }

    private void Fold()
    {
        _weeks = (_weeks * Decay) + 1;
        for (var i = 0; i < _perWeek; i++)
        {
            _weight[i] = (_weight[i] * Decay) + (_present[i] ? 1 : 0);
            _present[i] = false;
            _expected[i] = _weight[i] >= _presence * _weeks;
        }

        _folded++;
        CountPerDay();
    }

    private void CountPerDay()
    {
        Array.Clear(_expectedPerDay);
        for (var i = 0; i < _perWeek; i++)
        {
            _expectedPerDay[i / _perDay] += _expected[i] ? 1 : 0;
        }
    }

    private void JudgePending()
    {
        foreach (var (from, to) in _pending)
        {
            Judge(from, to);
        }

        _pending.Clear();
    }

    /// <summary>The expected slots strictly between two bars: gaps, and whole session days as missing days.</summary>
    private void Judge(long from, long to)
    {
        if (to - from - 1 > MaxSlotsWalked)
        {
            var estimate = (long)((to - from - 1) * (_expectedPerDay.Sum() / (double)_perWeek));
            _sink.Add(new QualityFinding(QualityKinds.Gap, Time(from + 1), Time(to - 1), estimate, 0,
                $"no bars for {TimeSpan.FromTicks((to - from) * _slot).TotalDays:F0} days: about {estimate:N0} bars missing in session ({Basis})"));
            return;
        }

        long gapFirst = -1, gapLast = -1, gapCount = 0, day = -1, dayFirst = -1, dayLast = -1, dayCount = 0;
        for (var s = from + 1; s < to; s++)
        {
            if (!_expected[s % _perWeek])
            {
                continue;
            }

            if (s / _perDay != day)
            {
                CloseDay();
                day = s / _perDay;
                dayFirst = s;
                dayCount = 0;
            }

            dayLast = s;
            dayCount++;
        }

        CloseDay();
        FlushGap();

        void CloseDay()
        {
            if (dayCount == 0)
            {
                return;
            }

            if (dayCount == _expectedPerDay[day % 7])
            {
                FlushGap();
                var date = Time(day * _perDay);
                _sink.Add(new QualityFinding(QualityKinds.MissingDay, Time(dayFirst), Time(dayLast), dayCount, 0,
                    string.Create(CultureInfo.InvariantCulture, $"no bars on {date.DayOfWeek} {date:yyyy-MM-dd}, a whole session day ({dayCount} bars; {Basis})")));
            }
            else
            {
                gapFirst = gapFirst < 0 ? dayFirst : gapFirst;
                gapLast = dayLast;
                gapCount += dayCount;
            }

            dayCount = 0;
        }

        void FlushGap()
        {
            if (gapCount > 0)
            {
                _sink.Add(new QualityFinding(QualityKinds.Gap, Time(gapFirst), Time(gapLast), gapCount, 0, $"{gapCount} bars missing inside the session ({Basis})"));
            }

            gapFirst = gapLast = -1;
            gapCount = 0;
        }
    }

    private string Basis => _calendar is null ? "session learned from the series" : $"session {_calendar}";

    private DateTime Time(long slot) => new(slot * _slot, DateTimeKind.Utc);
}
