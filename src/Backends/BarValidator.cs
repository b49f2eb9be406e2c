using System.Runtime.CompilerServices;

namespace Ktrdr.Backends;

/// <summary>
/// The rules a bar must meet to be stored. Shared by the migration (which rejects and reports bad rows) and the
/// CSV backend (which leaves them out), so both stores hold the same bars for the same file.
/// </summary>
public static class BarValidator
{
    /// <summary>The platform's "no volume" marker in old files: stored as 0 and counted as normalized.</summary>
    public const double NoVolumeSentinel = -1d;

    /// <summary>Returns why <paramref name="bar"/> cannot be stored, or null when it can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Check(in Bar bar)
    {
        if (!double.IsFinite(bar.Open) || !double.IsFinite(bar.High) || !double.IsFinite(bar.Low) || !double.IsFinite(bar.Close))
        {
            return "price is NaN or infinite";
        }

        if (!double.IsFinite(bar.Volume))
        {
            return "volume is NaN or infinite";
        }

        if (bar.High < bar.Low)
        {
            return "high < low";
        }

        if (bar.Open < bar.Low || bar.Open > bar.High)
        {
            return "open outside [low, high]";
        }

        if (bar.Close < bar.Low || bar.Close > bar.High)
        {
            return "close outside [low, high]";
        }

        if (bar.Volume < 0 && bar.Volume != NoVolumeSentinel)
        {
            return "negative volume";
        }

        return null;
    }
}
