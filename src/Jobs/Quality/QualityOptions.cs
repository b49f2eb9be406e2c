using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Jobs.Quality;

/// <summary>Thresholds of the data-quality checks, and the rules file (sessions and allow-list). Findings are warnings only.</summary>
public sealed class QualityOptions
{
    /// <summary>
    /// A rules file: per-symbol sessions and what to ignore (docs/timeseries-data/DATA_QUALITY.md). Empty: sessions are
    /// learned from each series' own history and nothing is ignored.
    /// </summary>
    [ConfigurationKeyName("KTRDR_QUALITY_RULES")]
    public string RulesFile { get; set; } = "";

    /// <summary>A bar slot of the week counts as in session when at least this share of recent weeks had a bar there.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_SESSION_PRESENCE")]
    [Range(0.05, 1.0)]
    public double SessionPresence { get; set; } = 0.5;

    /// <summary>Weeks of a series learned before its gaps are judged (their own gaps are judged once they are learned).</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_WARMUP_WEEKS")]
    [Range(1, 52)]
    public int WarmupWeeks { get; set; } = 4;

    /// <summary>A move is a jump when it exceeds this many times the series' typical absolute move (an average over about 100 bars)...</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_JUMP_FACTOR")]
    [Range(2.0, 1000.0)]
    public double JumpFactor { get; set; } = 10;

    /// <summary>...and at least this many percent.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_JUMP_MIN_PERCENT")]
    [Range(0.1, 1000.0)]
    public double JumpMinPercent { get; set; } = 5;

    /// <summary>Shortest reported run of bars with open = high = low = close.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_FLAT_RUN")]
    [Range(2, 1_000_000)]
    public int FlatRun { get; set; } = 10;

    /// <summary>Shortest reported run of bars with an unchanged close.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_STALE_RUN")]
    [Range(2, 1_000_000)]
    public int StaleRun { get; set; } = 10;

    /// <summary>Shortest reported run of zero-volume bars (in a series that has volume).</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_ZERO_VOLUME_RUN")]
    [Range(2, 1_000_000)]
    public int ZeroVolumeRun { get; set; } = 20;

    /// <summary>Smallest move of the time-of-day profile reported as a session shift (1 h is daylight saving time).</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_SHIFT_HOURS")]
    [Range(1, 12)]
    public int ShiftHours { get; set; } = 2;

    /// <summary>Findings kept (stored, and in the JSON) per series and kind; all are counted.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_MAX_FINDINGS")]
    [Range(1, 100_000)]
    public int MaxFindings { get; set; } = 200;

    /// <summary>Findings per series shown in MIGRATION_RESULTS.md and on the command line.</summary>
    [ConfigurationKeyName("KTRDR_QUALITY_REPORT_FINDINGS")]
    [Range(0, 10_000)]
    public int ReportFindings { get; set; } = 10;
}
