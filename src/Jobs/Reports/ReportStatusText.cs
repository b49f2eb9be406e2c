namespace Ktrdr.Jobs.Reports;

/// <summary>
/// The one mapping between the report's statuses and their text in the JSON report (<c>"status": "success"</c>,
/// <c>"status": "ok"</c>); programs read these files, so the text never changes.
/// </summary>
public static class ReportStatusText
{
    public static readonly TextMapping<ReportStatus> Report = new("report status", new Dictionary<ReportStatus, string>
    {
        [ReportStatus.Success] = "success",
        [ReportStatus.Partial] = "partial",
    });

    public static readonly TextMapping<ReportItemStatus> Item = new("report file status", new Dictionary<ReportItemStatus, string>
    {
        [ReportItemStatus.Ok] = "ok",
        [ReportItemStatus.Mismatch] = "mismatch",
        [ReportItemStatus.Unverified] = "unverified",
        [ReportItemStatus.Failed] = "failed",
    });

    public static string ToText(this ReportStatus status) => Report.ToText(status);

    public static string ToText(this ReportItemStatus status) => Item.ToText(status);

    /// <summary>A file's verdict from its state and verification: ok only when it succeeded and verified.</summary>
    public static ReportItemStatus Of(MigrationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.State switch
        {
            ItemState.Succeeded when item.Verified == true => ReportItemStatus.Ok,
            ItemState.Succeeded when item.Verified == false => ReportItemStatus.Mismatch,
            ItemState.Succeeded => ReportItemStatus.Unverified,
            _ => ReportItemStatus.Failed,
        };
    }
}
