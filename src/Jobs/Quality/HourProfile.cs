using System.Globalization;
using System.Text;

namespace Ktrdr.Jobs.Quality;

/// <summary>A time-of-day profile: the share of a series' bars in each UTC hour (24 values summing to 1).</summary>
internal static class HourProfile
{
    /// <summary>Hours with less than this share count as closed when a profile is described.</summary>
    private const double Active = 0.01;

    /// <summary>Sum of absolute differences, 0 (same) to 2 (disjoint), of <paramref name="a"/> against <paramref name="b"/> moved later by <paramref name="shift"/> hours.</summary>
    public static double Distance(double[] a, double[] b, int shift = 0)
    {
        var sum = 0.0;
        for (var h = 0; h < 24; h++)
        {
            sum += Math.Abs(a[h] - b[(((h - shift) % 24) + 24) % 24]);
        }

        return sum;
    }

    /// <summary>The move of <paramref name="reference"/> (at least <paramref name="minHours"/>, at most 12 either way) that best matches <paramref name="profile"/>.</summary>
    public static (int Shift, double Distance) BestShift(double[] profile, double[] reference, int minHours)
    {
        var best = (Shift: 0, Distance: double.MaxValue);
        for (var k = -12; k <= 12; k++)
        {
            if (Math.Abs(k) < minHours)
            {
                continue;
            }

            var d = Distance(profile, reference, k);
            if (d < best.Distance - 1e-9)
            {
                best = (k, d);
            }
        }

        return best;
    }

    public static double[] Shift(double[] profile, int hours)
    {
        var moved = new double[24];
        for (var h = 0; h < 24; h++)
        {
            moved[(((h + hours) % 24) + 24) % 24] = profile[h];
        }

        return moved;
    }

    public static double[] Normalize(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(c => total > 0 ? c / total : 0).ToArray();
    }

    public static bool IsActive(double[] profile, int hour) => profile[hour] >= Active;

    /// <summary>The open hours as UTC ranges, such as "14:00-21:00 UTC", "22:00-06:00 UTC" or "all day".</summary>
    public static string Describe(double[] profile)
    {
        var open = Enumerable.Range(0, 24).Select(h => IsActive(profile, h)).ToArray();
        if (open.All(o => o))
        {
            return "all day (UTC)";
        }

        if (!open.Any(o => o))
        {
            return "no bars";
        }

        var start = Array.IndexOf(open, false);
        var ranges = new StringBuilder();
        for (var i = 1; i <= 24; i++)
        {
            var h = (start + i) % 24;
            if (open[h] && !open[(h + 23) % 24])
            {
                var end = h;
                while (open[(end + 1) % 24])
                {
                    end = (end + 1) % 24;
                }

                ranges.Append(ranges.Length > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"{h:00}:00-{(end + 1) % 24:00}:00");
            }
        }

        return ranges.Append(" UTC").ToString();
    }
}
