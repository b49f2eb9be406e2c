namespace Ktrdr.Tests.Infrastructure;

/// <summary>Where the repository is, seen from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ktrdr.Worker.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Ktrdr.Worker.sln) above the test binaries");
    }
}
