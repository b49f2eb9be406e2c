namespace Ktrdr.Jobs;

/// <summary>The bars of one planned file that lie before a retention policy's cutoff (the policy would delete them).</summary>
/// <param name="File">The file's name.</param>
/// <param name="Bars">Good bars (those the migration would import) before the cutoff.</param>
/// <param name="First">The earliest of them.</param>
/// <param name="Last">The latest of them.</param>
public sealed record RetentionExposure(string File, long Bars, DateTime First, DateTime Last);
