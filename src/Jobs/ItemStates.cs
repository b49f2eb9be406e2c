namespace Ktrdr.Jobs;

/// <summary>States of a run item. Succeeded and Failed are final: the fan-in waits for every item to reach one.</summary>
public static class ItemStates
{
    public const string Enqueued = "enqueued";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
