namespace Ktrdr.Jobs;

/// <summary>States of a migration run.</summary>
public static class RunStates
{
    public const string Importing = "importing";
    public const string Verifying = "verifying";

    /// <summary>Every file imported and verified.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Finished with failed or mismatching files (listed in the report).</summary>
    public const string Partial = "partial";

    /// <summary>Stopped by a person (<c>operations cancel</c>): unfinished files failed as cancelled, no verification, no report.</summary>
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string state) => state is Succeeded or Partial or Cancelled;
}
