using System.Globalization;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// The rules file of the quality checks (<see cref="QualityOptions.RulesFile"/>), one rule a line, <c>#</c> starts a
/// comment, <c>*</c> matches anything:
/// <code>
/// session EURUSD 24x5                 # FX: Sunday 22:00 to Friday 22:00 UTC
/// session BTCUSD 24x7                 # crypto
/// session AAPL 14:30-21:00            # Monday to Friday, UTC
/// ignore * * missing-day 2024-12-25   # a known holiday
/// ignore AAPL * jump 2020-08-31       # a known split
/// ignore SPY 5m * 2021-03-01..2021-03-05
/// </code>
/// A series without a session rule learns its session from its own history. A finding is ignored (counted as allowed,
/// not listed) when an <c>ignore</c> rule matches its symbol, timeframe, kind and the UTC date it starts on.
/// </summary>
public sealed class QualityRules
{
    private readonly List<(string Symbol, SessionCalendar Session)> _sessions = [];
    private readonly List<Ignore> _ignores = [];

    public static QualityRules None { get; } = new();

    /// <summary>Rules in the file; none for an empty path.</summary>
    /// <exception cref="ArgumentException">The file cannot be read or a line is not a rule; the message names the file and line.</exception>
    public static QualityRules Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return None;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"KTRDR_QUALITY_RULES: cannot read '{path}': {ex.Message}", ex);
        }

        return Parse(lines, path);
    }

    /// <exception cref="ArgumentException">A line is not a rule; the message names <paramref name="source"/> and the line.</exception>
    public static QualityRules Parse(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rules = new QualityRules();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var text = raw.Split('#')[0].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string Where() => $"KTRDR_QUALITY_RULES: {source} line {number} ('{text}')";
            switch (words[0].ToLowerInvariant())
            {
                case "session" when words.Length == 3:
                    rules._sessions.Add((words[1], SessionCalendar.Parse(words[2])
                        ?? throw new ArgumentException($"{Where()}: session '{words[2]}' is not 24x7, 24x5 or HH:MM-HH:MM (UTC)")));
                    break;
                case "ignore" when words.Length == 5:
                    if (words[3] != "*" && !QualityKinds.All.Contains(words[3]))
                    {
                        throw new ArgumentException($"{Where()}: '{words[3]}' is not a finding kind; use * or one of {string.Join(", ", QualityKinds.All)}");
                    }

                    var range = words[4].Split("..");
                    if (range.Length > 2 || Date(range[0]) is not { } from || Date(range[^1]) is not { } to || to < from)
                    {
                        throw new ArgumentException($"{Where()}: '{words[4]}' is not a date or a range YYYY-MM-DD..YYYY-MM-DD");
                    }

                    rules._ignores.Add(new Ignore(words[1], words[2], words[3], from, to));
                    break;
                default:
                    throw new ArgumentException($"{Where()}: not a rule; use 'session SYMBOL 24x7|24x5|HH:MM-HH:MM' or 'ignore SYMBOL TIMEFRAME KIND DATE[..DATE]'");
            }
        }

        return rules;
    }

    public int Count => _sessions.Count + _ignores.Count;

    /// <summary>The session given for <paramref name="symbol"/> (its own rule before a <c>*</c> one), or null: learn it.</summary>
    public SessionCalendar? SessionOf(string symbol) =>
        _sessions.FirstOrDefault(s => s.Symbol == symbol).Session ?? _sessions.FirstOrDefault(s => s.Symbol == "*").Session;

    /// <summary>Whether an ignore rule covers <paramref name="finding"/> of <paramref name="key"/>.</summary>
    public bool Ignores(SeriesKey key, QualityFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var day = DateOnly.FromDateTime(finding.Start);
        return _ignores.Any(i => (i.Symbol == "*" || i.Symbol == key.Symbol) && (i.Timeframe == "*" || i.Timeframe == key.Timeframe)
            && (i.Kind == "*" || i.Kind == finding.Kind) && day >= i.From && day <= i.To);
    }

    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private sealed record Ignore(string Symbol, string Timeframe, string Kind, DateOnly From, DateOnly To);
}
