namespace Ktrdr.Backends.Timescale;

/// <summary>One way an existing <c>price_data</c> differs from the table the migration creates, and what it means.</summary>
/// <param name="What">The difference (<c>symbol is character varying(32), not text</c>).</param>
/// <param name="Meaning">What it means for a migration, and what to do if anything.</param>
/// <param name="Blocks">True when a migration cannot write into the table as it is (not ready until fixed).</param>
public sealed record ShapeDifference(string What, string Meaning, bool Blocks = false)
{
    public override string ToString() => $"{What}: {Meaning}";
}
