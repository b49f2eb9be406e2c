namespace Ktrdr.Jobs.Reports;

/// <summary>The verdict of one file in the report; written as <see cref="ReportStatusText"/>'s text.</summary>
public enum ReportItemStatus
{
    /// <summary>Imported and verified.</summary>
    Ok,

    /// <summary>Imported, but the database differs from the file.</summary>
    Mismatch,

    /// <summary>Imported, not (yet) verified.</summary>
    Unverified,

    /// <summary>The import failed.</summary>
    Failed,
}
