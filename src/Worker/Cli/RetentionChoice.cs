namespace Ktrdr.Worker.Cli;

/// <summary>What <c>migrate</c> does when a retention policy on <c>price_data</c> would delete planned bars.</summary>
internal enum RetentionChoice
{
    /// <summary>Stop before writing anything and say what is affected (the default).</summary>
    Stop,

    /// <summary><c>--drop-retention-policy</c>: remove the policy (confirmed), then import every bar.</summary>
    DropPolicy,

    /// <summary><c>--skip-older-than-retention</c>: leave the bars before the cutoff out, counted as older than retention.</summary>
    SkipOlder,
}
