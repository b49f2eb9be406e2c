namespace Ktrdr.Jobs;

/// <summary>
/// States of a run item (one file). Succeeded and Failed are final: the fan-in waits for every item to reach one.
/// Stored in <c>migration_items.state</c> as the text of <see cref="ItemStateText"/>, the one mapping.
/// </summary>
public enum ItemState
{
    Enqueued,
    Processing,
    Succeeded,
    Failed,
}
