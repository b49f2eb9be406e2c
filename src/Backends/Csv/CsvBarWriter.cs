using CsvHelper;

namespace Ktrdr.Backends.Csv;

/// <summary>Writes bars in the platform's CSV format: <c>timestamp,open,high,low,close,volume</c>, ISO-8601 UTC times.</summary>
public static class CsvBarWriter
{
    /// <summary>
    /// Writes <paramref name="bars"/> to <paramref name="path"/> through a temporary file that replaces it at the end,
    /// so a reader never sees half a file. Doubles are written as their shortest round-trip text: reading the file back
    /// gives the same values bit for bit.
    /// </summary>
    /// <returns>The number of bars written.</returns>
    public static async Task<long> WriteAsync(string path, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (IsStream(path))
        {
            // A device or pipe (/dev/null, /dev/stdout, a FIFO): write straight to it; renaming over it would replace it.
            await using var device = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16, useAsync: false);
            return await WriteToAsync(device, bars, cancellationToken);
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        long count = 0;
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                count = await WriteToAsync(stream, bars, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<long> WriteToAsync(Stream stream, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        long count = 0;
        await using var writer = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        writer.WriteRecord("timestamp", "open", "high", "low", "close", "volume");
        await foreach (var bar in bars.WithCancellation(cancellationToken))
        {
            writer.WriteField(CsvTimestamp.Format(bar.Time));
            writer.WriteField(bar.Open, default);
            writer.WriteField(bar.High, default);
            writer.WriteField(bar.Low, default);
            writer.WriteField(bar.Close, default);
            writer.WriteField(bar.Volume, default);
            writer.EndRecord();
            count++;
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static bool IsStream(string path)
    {
        // /dev/null is seekable, so CanSeek alone cannot tell it from a file; renaming over it would replace the device.
        var full = Path.GetFullPath(path);
        if (full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return true;
        }

        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return !probe.CanSeek;
    }
}
