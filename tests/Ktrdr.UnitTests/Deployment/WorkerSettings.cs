using System.Text.RegularExpressions;

namespace Ktrdr.Tests.Deployment;

/// <summary>The settings the worker reads, found in its sources: [ConfigurationKeyName("X")] and configuration["X"].</summary>
internal static partial class WorkerSettings
{
    public static readonly string RepositoryRoot = FindRoot();

    [GeneratedRegex("""(?:ConfigurationKeyName\(|[Cc]onfiguration\[)"([A-Z][A-Z0-9_]+)"[\])]""")]
    private static partial Regex SettingPattern();

    public static IReadOnlySet<string> Read() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => SettingPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ktrdr.Worker.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Ktrdr.Worker.sln) above the test binaries");
    }
}
