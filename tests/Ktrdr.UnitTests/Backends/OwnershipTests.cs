using System.Reflection;
using System.Text.RegularExpressions;
using Ktrdr.Jobs.Telemetry;
using Ktrdr.Tests.Deployment;

namespace Ktrdr.Tests.Backends;

/// <summary>Backends knows only bars and series: the migration's tables and span names are Jobs', <c>DB_TYPE</c> is the host's.</summary>
public sealed partial class OwnershipTests
{
    private static readonly string BackendsDir = Path.Combine(WorkerSettings.RepositoryRoot, "src", "Backends");

    [GeneratedRegex(@"\b(migration_\w+|rejected_rows|verification_results|quality_checks|quality_findings)\b")]
    private static partial Regex JobsTable();

    [Test]
    public void No_source_or_script_of_Backends_names_a_table_of_the_migration()
    {
        var found = Sources("*.cs").Concat(Sources("*.sql"))
            .SelectMany(f => JobsTable().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(BackendsDir, f)}: {m.Value}"))
            .ToList();

        Assert.That(found, Is.Empty);
    }

    [Test]
    public void Backends_declares_none_of_the_span_names_of_the_jobs()
    {
        var names = new[] { typeof(JobSpans), typeof(JobPlatformSpans) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.That(names, Does.Contain("csv_import.import_symbol").And.Contain("migration.run"), "the reflection found the names");

        var text = string.Concat(Sources("*.cs").Select(File.ReadAllText));
        Assert.That(names.Where(n => text.Contains($"\"{n}\"", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Backends_reads_no_DB_TYPE() =>
        Assert.That(Sources("*.cs").Where(f => File.ReadAllText(f).Contains("\"DB_TYPE\"", StringComparison.Ordinal)), Is.Empty);

    private static IEnumerable<string> Sources(string pattern) =>
        Directory.EnumerateFiles(BackendsDir, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
}
