namespace Ktrdr.Jobs.Quality;

/// <summary>
/// One data-quality finding of a series: a warning, never a rejection. <see cref="Start"/> and <see cref="End"/> are
/// UTC bar times (equal for a finding at one bar); <see cref="Bars"/> is how many bars it covers (missing bars of a gap,
/// bars of a run, 1 for a jump); <see cref="Size"/> is its magnitude where it has one (a jump in percent, a shift in
/// hours), else 0.
/// </summary>
public sealed record QualityFinding(string Kind, DateTime Start, DateTime End, long Bars, double Size, string Detail);
