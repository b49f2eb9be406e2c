namespace Ktrdr.Tests.Deployment;

public sealed class EnvironmentDocTests
{
    [Test]
    public void Every_setting_the_worker_reads_is_documented_with_its_default()
    {
        var doc = File.ReadAllText(Path.Combine(WorkerSettings.RepositoryRoot, "docs", "environment-configuration.md"));
        var settings = WorkerSettings.Read();

        Assert.That(settings, Has.Count.GreaterThan(20), "the scan of src/ found the settings");
        var undocumented = settings.Where(s => !doc.Contains($"| `{s}`", StringComparison.Ordinal) && !doc.Contains($"`{s}` /", StringComparison.Ordinal)
            && !doc.Contains($"/ `{s}`", StringComparison.Ordinal) && !doc.Contains($"`{s}` (or", StringComparison.Ordinal) && !doc.Contains($"(or `{s}`)", StringComparison.Ordinal));
        Assert.That(undocumented, Is.Empty, "add these to docs/environment-configuration.md with their defaults");
    }
}
