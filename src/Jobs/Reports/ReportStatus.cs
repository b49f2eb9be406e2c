namespace Ktrdr.Jobs.Reports;

/// <summary>The verdict of a whole run's report; written as <see cref="ReportStatusText"/>'s text.</summary>
public enum ReportStatus
{
    /// <summary>Every file imported and verified.</summary>
    Success,

    /// <summary>Some file failed, mismatched or was not verified.</summary>
    Partial,
}
