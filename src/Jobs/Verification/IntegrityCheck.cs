namespace Ktrdr.Jobs.Verification;

/// <summary>One database-wide check: its name, whether it holds, and what was found (counts, first offenders).</summary>
public sealed record IntegrityCheck(string Name, bool Passed, string Detail);
