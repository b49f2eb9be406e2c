using Microsoft.Extensions.Configuration;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Timeframes served by aggregating a finer stored one (see docs/timeseries-data/DERIVED_TIMEFRAMES.md): a
/// continuous aggregate per derivation on TimescaleDB, created by <c>db migrate</c>; the same aggregation as a query
/// at read time on plain PostgreSQL.
/// </summary>
public sealed class DerivedTimeframesOptions
{
    /// <summary>
    /// Comma-separated <c>SOURCE:TARGET</c> pairs, such as <c>1m:5m,1m:15m,1m:1h,5m:1h,1h:1d</c> (<c>1m-&gt;1h</c> is
    /// accepted too); empty (the default) derives nothing. When several sources give one target, the first listed
    /// whose source series exists serves it. Every aggregate reads stored bars only: in
    /// <c>1m:5m,5m:1h</c> the 1h bars come from stored 5m bars, never from derived ones.
    /// </summary>
    [ConfigurationKeyName("KTRDR_DERIVED_TIMEFRAMES")]
    public string Timeframes { get; set; } = "";

    /// <summary>How often TimescaleDB's refresh policy materializes new and changed source bars.</summary>
    [ConfigurationKeyName("KTRDR_DERIVED_REFRESH_INTERVAL")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The parsed derivations, in the order listed; only meaningful once the options have been validated.</summary>
    public IReadOnlyList<Derivation> Derivations => Parse().Derivations;

    /// <summary>The derivations that give <paramref name="timeframe"/>, in order of preference.</summary>
    public IEnumerable<Derivation> Giving(string timeframe) => Derivations.Where(d => d.Target == timeframe);

    /// <summary>What is wrong with the settings, each message naming the variable and what is valid; empty when valid.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var error in Parse().Errors)
        {
            yield return error;
        }

        if (RefreshInterval <= TimeSpan.Zero)
        {
            yield return $"KTRDR_DERIVED_REFRESH_INTERVAL={RefreshInterval} must be positive (for example 00:10:00)";
        }
    }

    private (List<Derivation> Derivations, List<string> Errors) Parse()
    {
        var derivations = new List<Derivation>();
        var errors = new List<string>();
        foreach (var pair in Timeframes.Replace("->", ":", StringComparison.Ordinal)
                     .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':', StringSplitOptions.TrimEntries);
            var prefix = $"KTRDR_DERIVED_TIMEFRAMES: '{pair}'";
            if (parts.Length != 2)
            {
                errors.Add($"{prefix} is not SOURCE:TARGET (use, for example, 1m:5m,1m:1h,1h:1d)");
                continue;
            }

            if (!TimeframeSpan.TryParse(parts[0], out var source) || !TimeframeSpan.TryParse(parts[1], out var target))
            {
                errors.Add($"{prefix}: both sides must be fixed-length timeframes such as 1m, 5m, 15m, 1h, 4h, 1d, 1w (no months)");
                continue;
            }

            if (target <= source || target.Ticks % source.Ticks != 0)
            {
                errors.Add($"{prefix}: the target must be a whole multiple of the source, longer than it (such as 1m:5m or 1h:1d)");
                continue;
            }

            if (derivations.Any(d => d.Source == parts[0] && d.Target == parts[1]))
            {
                errors.Add($"{prefix} is listed twice");
                continue;
            }

            derivations.Add(new Derivation(parts[0], parts[1], source, target));
        }

        return (derivations, errors);
    }
}
