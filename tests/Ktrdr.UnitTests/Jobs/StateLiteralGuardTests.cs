using System.Text.RegularExpressions;
using Ktrdr.Jobs;
using Ktrdr.Tests.Deployment;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Run and item states reach SQL only as bind parameters taken from <see cref="RunStateText"/> and <see cref="ItemStateText"/>,
/// the one mapping to the database text: a state spelled as an SQL literal (<c>state = 'failed'</c>) drifts when a
/// state is renamed or added.
/// </summary>
public sealed class StateLiteralGuardTests
{
    private static readonly string[] States = RunStateText.Mapping.Texts.Concat(ItemStateText.Mapping.Texts).Distinct(StringComparer.Ordinal).ToArray();

    private static readonly Regex Literal = new($"'(?:{string.Join('|', States.Select(Regex.Escape))})'", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Test]
    public void No_source_file_spells_a_run_or_item_state_as_an_SQL_literal()
    {
        var files = Directory.EnumerateFiles(Path.Combine(WorkerSettings.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.That(files, Has.Count.GreaterThan(50), "the scan found the sources under src/");

        var offenders = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(WorkerSettings.RepositoryRoot, f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && Literal.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.That(offenders, Is.Empty, "pass the state as a parameter (@failed = ItemState.Failed.ToText(), @importing = RunState.Importing.ToText(), ...)");
    }

    // Dapper sends an enum as its number: "state = @failed" with failed = ItemState.Failed compares text to an integer
    // and fails at run time, so a state parameter takes the enum's text.
    private static readonly Regex EnumParameter = new(@"\b[a-z]\w* = (?:RunState|ItemState)\.[A-Z]\w*(?!\w|\.ToText\(\))", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Test]
    public void No_source_file_passes_a_state_enum_as_an_SQL_parameter_without_its_text()
    {
        var offenders = Directory.EnumerateFiles(Path.Combine(WorkerSettings.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(WorkerSettings.RepositoryRoot, f), Line: i + 1, Text: line)))
            .Where(l => EnumParameter.IsMatch(l.Text) && !l.Text.Contains("var ", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.That(offenders, Is.Empty, "pass the state's text: new { failed = ItemState.Failed.ToText() }");
    }

    [TestCase("new { itemId, failed = ItemState.Failed }", true)]
    [TestCase("new { runId, importing = RunState.Importing, olderThan }", true)]
    [TestCase("new { itemId, failed = ItemState.Failed.ToText() }", false)]
    [TestCase("item = item with { State = ItemState.Enqueued };", false)]
    public void The_enum_parameter_guard_tells_an_enum_from_its_text(string code, bool flagged) =>
        Assert.That(EnumParameter.IsMatch(code), Is.EqualTo(flagged));

    [TestCase("UPDATE migration_items SET state = 'processing' WHERE id = @id")]
    [TestCase("AND state NOT IN ('succeeded', 'failed')")]
    [TestCase("state = CASE WHEN @final THEN 'failed' ELSE state END")]
    [TestCase("WHERE r.state = 'verifying'")]
    [TestCase("SET state = 'cancelled'")]
    public void The_guard_recognises_a_state_literal(string sql)
    {
        Assert.That(States, Has.Length.GreaterThanOrEqualTo(8), "every run and item state is known to the guard");
        Assert.That(Literal.IsMatch(sql), Is.True);
    }

    [TestCase("UPDATE migration_items SET state = @processing WHERE id = @id")]
    [TestCase("rows_done = coalesce((checkpoint->>'Read')::bigint, 0)")]
    public void The_guard_lets_parameters_through(string sql) => Assert.That(Literal.IsMatch(sql), Is.False);
}
