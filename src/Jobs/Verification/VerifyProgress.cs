namespace Ktrdr.Jobs.Verification;

/// <summary>How far a verification has got: series finished, rows compared (CSV side), time spent.</summary>
public sealed record VerifyProgress(int SeriesDone, int SeriesTotal, long Rows, TimeSpan Elapsed);
