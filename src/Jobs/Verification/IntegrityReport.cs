namespace Ktrdr.Jobs.Verification;

/// <summary>The database-wide checks of <see cref="IntegrityChecker"/>, and the rows they covered.</summary>
public sealed record IntegrityReport(long TotalRows, IReadOnlyList<IntegrityCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);
}
