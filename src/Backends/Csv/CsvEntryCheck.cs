namespace Ktrdr.Backends.Csv;

/// <summary>
/// Whether an entry of the data directory may be read as a series file: symbolic links that loop, dangle, lead to a
/// directory or (unless followed on purpose) out of the data directory are not, so that one such entry is skipped
/// with its reason instead of stopping the whole migration or verification.
/// </summary>
public static class CsvEntryCheck
{
    /// <summary>Compressed names that are never read, with what to do about them.</summary>
    private static readonly (string Suffix, string What)[] Compressed =
    [
        (".csv.gz", "is gzip-compressed, not CSV text: decompress it (gunzip) first"),
        (".csv.zip", "is a zip archive, not CSV text: extract it (unzip) first"),
        (".csv.bz2", "is bzip2-compressed, not CSV text: decompress it (bunzip2) first"),
        (".csv.xz", "is xz-compressed, not CSV text: decompress it (unxz) first"),
        (".csv.zst", "is zstd-compressed, not CSV text: decompress it (unzstd) first"),
    ];

    /// <summary>
    /// Why <paramref name="path"/>, an entry of <paramref name="dataDir"/>, is not read; null when it is.
    /// </summary>
    /// <param name="dataDir">The data directory.</param>
    /// <param name="path">The entry.</param>
    /// <param name="followSymlinks">Read symbolic links to files outside the data directory too.</param>
    public static string? Problem(string dataDir, string path, bool followSymlinks)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.LinkTarget is not { } link)
        {
            return null;
        }

        FileSystemInfo? target;
        try
        {
            target = info.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            // ELOOP ("Too many levels of symbolic links") and the like: the link itself is broken.
            return $"symbolic link to '{link}' cannot be resolved ({ex.Message}): fix or remove the link";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"symbolic link to '{link}' cannot be resolved ({ex.Message}): fix its permissions";
        }

        if (target is null || (!File.Exists(target.FullName) && !Directory.Exists(target.FullName)))
        {
            return $"symbolic link to '{link}', which does not exist: fix or remove the link";
        }

        if (Directory.Exists(target.FullName))
        {
            return $"symbolic link to the directory '{target.FullName}', not a file: remove the link";
        }

        return followSymlinks || IsUnder(dataDir, target.FullName)
            ? null
            : $"symbolic link to '{target.FullName}', outside the data directory: not followed unless --follow-symlinks is given";
    }

    /// <summary>What to do about a compressed file (<c>AAPL_1d.csv.gz</c>); null for any other name.</summary>
    public static string? CompressedName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (suffix, what) in Compressed)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return what;
            }
        }

        return null;
    }

    private static bool IsUnder(string dataDir, string target)
    {
        var full = Path.GetFullPath(dataDir);
        var real = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        return new[] { full, real }.Any(dir =>
            target.StartsWith(Path.TrimEndingDirectorySeparator(dir) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
