using Ktrdr.Backends;

namespace Ktrdr.Jobs.Derived;

/// <summary>
/// One derived series checked against the aggregation of its source bars recomputed in C#: bars the database lacks,
/// bars it has beyond the aggregation, and bars with other values.
/// </summary>
public sealed record DerivedCheck(SeriesKey Key, string Source, long Expected, long Served, long Missing, long Extra, long Differing,
    IReadOnlyList<string> FirstDifferences)
{
    /// <summary>Every expected bar served, nothing else, all values equal.</summary>
    public bool Matches => Missing == 0 && Extra == 0 && Differing == 0;

    public string Summary => Matches
        ? $"{Key} from {Source}: {Served} bars match"
        : $"{Key} from {Source}: {Missing} missing, {Extra} extra, {Differing} differing of {Expected} expected; first: {string.Join("; ", FirstDifferences)}";
}
