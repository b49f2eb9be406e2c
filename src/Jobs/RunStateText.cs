namespace Ktrdr.Jobs;

/// <summary>The one mapping between <see cref="RunState"/> and the text in <c>migration_runs.state</c> (and in every output).</summary>
public static class RunStateText
{
    public static readonly TextMapping<RunState> Mapping = new("run state (migration_runs.state)", new Dictionary<RunState, string>
    {
        [RunState.Importing] = "importing",
        [RunState.Verifying] = "verifying",
        [RunState.Succeeded] = "succeeded",
        [RunState.Partial] = "partial",
        [RunState.Cancelled] = "cancelled",
    });

    /// <summary>The stored text: <c>importing</c>, <c>succeeded</c>, ...</summary>
    public static string ToText(this RunState state) => Mapping.ToText(state);

    /// <exception cref="FormatException">The text is no run state.</exception>
    public static RunState Parse(string? text) => Mapping.Parse(text);

    /// <summary>Succeeded, partial and cancelled runs change no more.</summary>
    public static bool IsFinal(this RunState state) => state is RunState.Succeeded or RunState.Partial or RunState.Cancelled;
}
