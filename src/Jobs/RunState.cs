namespace Ktrdr.Jobs;

/// <summary>
/// States of a migration run. Stored in <c>migration_runs.state</c> as the text of <see cref="RunStateText"/>, the one
/// mapping; SQL gets it as a parameter.
/// </summary>
public enum RunState
{
    /// <summary>Files are being imported.</summary>
    Importing,

    /// <summary>Every file is final; the verification job compares and writes the report.</summary>
    Verifying,

    /// <summary>Every file imported and verified.</summary>
    Succeeded,

    /// <summary>Finished with failed or mismatching files (listed in the report).</summary>
    Partial,

    /// <summary>Stopped by a person (<c>operations cancel</c>): unfinished files failed as cancelled, no verification, no report.</summary>
    Cancelled,
}
