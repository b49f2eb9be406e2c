namespace Ktrdr.Jobs;

/// <summary>The one mapping between <see cref="ItemState"/> and the text in <c>migration_items.state</c> (and in every output).</summary>
public static class ItemStateText
{
    public static readonly TextMapping<ItemState> Mapping = new("item state (migration_items.state)", new Dictionary<ItemState, string>
    {
        [ItemState.Enqueued] = "enqueued",
        [ItemState.Processing] = "processing",
        [ItemState.Succeeded] = "succeeded",
        [ItemState.Failed] = "failed",
    });

    /// <summary>The stored text: <c>enqueued</c>, <c>failed</c>, ...</summary>
    public static string ToText(this ItemState state) => Mapping.ToText(state);

    /// <exception cref="FormatException">The text is no item state.</exception>
    public static ItemState Parse(string? text) => Mapping.Parse(text);

    /// <summary>Succeeded and failed items change no more (unless a person requeues a failed one).</summary>
    public static bool IsFinal(this ItemState state) => state is ItemState.Succeeded or ItemState.Failed;
}
