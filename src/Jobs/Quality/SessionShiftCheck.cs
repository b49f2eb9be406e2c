using System.Globalization;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// An abrupt move of the series' time-of-day profile, the signature of a timezone bug: each week's share of bars per
/// UTC hour is compared with the profile learned so far. A week far from it (half its bars elsewhere) that matches the
/// profile moved by at least <see cref="QualityOptions.ShiftHours"/> hours starts a candidate; two more weeks like it
/// (or one, at the end of the series) confirm it. The date named is the first day of that week with bars in an hour
/// the series did not trade before. Small moves (daylight saving time) are learned, not reported. Intraday series only.
/// Memory: a few 24-hour arrays.
/// </summary>
internal sealed class SessionShiftCheck(int minShiftHours, FindingSink sink) : IBarCheck
{
    private const int MinWeekBars = 10;
    private const double FarAway = 0.5;
    private const int Confirmations = 2;

    private readonly double[] _week = new double[24];
    private readonly int[] _dayMask = new int[7];
    private readonly DateTime[] _dayDate = new DateTime[7];
    private readonly double[] _learning = new double[24];
    private double[]? _reference;
    private double _referenceBars;
    private int _learned;
    private long _weekIndex = long.MinValue;
    private int _weekBars;
    private Candidate? _candidate;

    /// <summary>The profile at the end of the series (after any shift); null when too short to learn one.</summary>
    public double[]? Profile => _reference;

    // Straight to optimized code: called once per bar, in short-lived commands too (tier-0 code costs several times more).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in Bar bar)
    {
        var week = bar.Time.Ticks / TimeSpan.TicksPerDay / 7;
        if (week != _weekIndex)
        {
            CloseWeek();
            _weekIndex = week;
        }

        var hour = bar.Time.Hour;
        _week[hour]++;
        _weekBars++;
        var day = (int)(bar.Time.Ticks / TimeSpan.TicksPerDay % 7);
        _dayMask[day] |= 1 << hour;
        _dayDate[day] = bar.Time.Date;
    }

    public void Finish()
    {
        CloseWeek();
        if (_candidate is { Seen: >= 1 } candidate)
        {
            Report(candidate);
        }
    }

    private void CloseWeek()
    {
        try
        {
            if (_weekBars >= MinWeekBars)
            {
                Judge(HourProfile.Normalize(_week));
            }
        }
        finally
        {
            Array.Clear(_week);
            Array.Clear(_dayMask);
            _weekBars = 0;
        }
    }

    private void Judge(double[] week)
    {
        if (_reference is null)
        {
            for (var h = 0; h < 24; h++)
            {
                _learning[h] += week[h];
            }

            _referenceBars += _weekBars;
            if (++_learned >= 2)
            {
                _reference = _learning.Select(x => x / _learned).ToArray();
                _referenceBars /= _learned;
            }

            return;
        }

        if (_weekBars < 0.5 * _referenceBars)
        {
            return; // a short week (a holiday, the start or the end) says little
        }

        var distance = HourProfile.Distance(week, _reference);
        if (_candidate is { } candidate)
        {
            if (HourProfile.Distance(week, _reference, candidate.Shift) < distance)
            {
                candidate.Seen++;
                for (var h = 0; h < 24; h++)
                {
                    candidate.After[h] += week[h];
                }

                if (candidate.Seen >= Confirmations)
                {
                    Report(candidate);
                }

                return;
            }

            _candidate = null; // back to the old profile: it was one odd week
        }

        if (distance > FarAway)
        {
            var (shift, moved) = HourProfile.BestShift(week, _reference, minShiftHours);
            if (moved < distance)
            {
                _candidate = new Candidate(shift, ShiftDate(), _reference);
            }

            return; // far from the profile: not learned
        }

        for (var h = 0; h < 24; h++)
        {
            _reference[h] = (0.8 * _reference[h]) + (0.2 * week[h]);
        }

        _referenceBars = (0.8 * _referenceBars) + (0.2 * _weekBars);
    }

    /// <summary>The first day of this week with a bar in an hour the profile does not have; else its first day with bars.</summary>
    private DateTime ShiftDate()
    {
        DateTime? first = null;
        for (var d = 0; d < 7; d++)
        {
            if (_dayMask[d] == 0)
            {
                continue;
            }

            first ??= _dayDate[d];
            for (var h = 0; h < 24; h++)
            {
                if ((_dayMask[d] & (1 << h)) != 0 && !HourProfile.IsActive(_reference!, h))
                {
                    return _dayDate[d];
                }
            }
        }

        return first ?? default;
    }

    private void Report(Candidate candidate)
    {
        var after = HourProfile.Normalize(candidate.After);
        sink.Add(new QualityFinding(QualityKinds.SessionShift, candidate.Date, candidate.Date, 0, candidate.Shift, string.Create(CultureInfo.InvariantCulture,
            $"time-of-day profile moved by {candidate.Shift:+0;-0} h from {candidate.Date:yyyy-MM-dd}: {HourProfile.Describe(candidate.Before)} before, {HourProfile.Describe(after)} after")));
        _reference = after;
        _candidate = null;
    }

    private sealed class Candidate(int shift, DateTime date, double[] before)
    {
        public int Shift { get; } = shift;

        public DateTime Date { get; } = date;

        public double[] Before { get; } = (double[])before.Clone();

        public double[] After { get; } = new double[24];

        public int Seen { get; set; }
    }
}
