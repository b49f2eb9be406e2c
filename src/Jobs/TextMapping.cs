namespace Ktrdr.Jobs;

/// <summary>
/// The one two-way mapping between the values of <typeparamref name="TEnum"/> and the text stored for them (database
/// columns, report files). The text is a stored contract: existing databases and reports hold it, so a renamed enum
/// value keeps its text. Every value has exactly one text and no two values share one (checked when built).
/// </summary>
public sealed class TextMapping<TEnum> where TEnum : struct, Enum
{
    private readonly string _what;
    private readonly Dictionary<TEnum, string> _texts;
    private readonly Dictionary<string, TEnum> _values;

    /// <param name="what">What the text is, for error messages: "run state (migration_runs.state)".</param>
    /// <param name="texts">The text of every value.</param>
    /// <exception cref="ArgumentException">A value has no text, or two values share one.</exception>
    public TextMapping(string what, IReadOnlyDictionary<TEnum, string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        _what = what;
        var missing = Enum.GetValues<TEnum>().Where(v => !texts.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{what}: no stored text for {string.Join(", ", missing)}; give every {typeof(TEnum).Name} value its text", nameof(texts));
        }

        _texts = Enum.GetValues<TEnum>().ToDictionary(v => v, v => texts[v]);
        var shared = _texts.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (shared.Count > 0)
        {
            throw new ArgumentException($"{what}: the text(s) {string.Join(", ", shared)} stand for more than one {typeof(TEnum).Name} value", nameof(texts));
        }

        _values = _texts.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    /// <summary>Every stored text, in the order of the enum's values.</summary>
    public IReadOnlyCollection<string> Texts => _texts.Values;

    /// <summary>The stored text of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a defined value (a cast number).</exception>
    public string ToText(TEnum value) => _texts.TryGetValue(value, out var text)
        ? text
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a {_what} this version knows ({string.Join(", ", Texts)})");

    /// <summary>The value stored as <paramref name="text"/> (exact, case-sensitive: the stored texts are lower case).</summary>
    /// <exception cref="FormatException">No value has this text; the message names the text, what it is and the known texts.</exception>
    public TEnum Parse(string? text) => TryParse(text, out var value)
        ? value
        : throw new FormatException(
            $"'{text}' is not a {_what} this version knows: expected one of {string.Join(", ", Texts)}; a database written by a newer ktrdr holds such text, run that version");

    public bool TryParse(string? text, out TEnum value)
    {
        value = default;
        return text is not null && _values.TryGetValue(text, out value);
    }
}
