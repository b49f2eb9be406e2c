namespace Ktrdr.Jobs.Quality;

/// <summary>The kinds of finding, as stored in <c>quality_findings.kind</c> and named in the allow-list.</summary>
public static class QualityKinds
{
    public const string Gap = "gap";
    public const string MissingDay = "missing-day";
    public const string SessionShift = "session-shift";
    public const string SessionDisagreement = "session-disagreement";
    public const string Jump = "jump";
    public const string FlatBars = "flat-bars";
    public const string StaleClose = "stale-close";
    public const string ZeroVolume = "zero-volume";
    public const string TimeframeMismatch = "timeframe-mismatch";

    /// <summary>Every kind, in the order reports list them.</summary>
    public static readonly IReadOnlyList<string> All =
        [Gap, MissingDay, SessionShift, SessionDisagreement, Jump, FlatBars, StaleClose, ZeroVolume, TimeframeMismatch];
}
