using System.Diagnostics;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Tests.Backends;

public sealed class CsvBarWriterTests
{
    [Test]
    public async Task Writing_to_dev_null_writes_through_the_device_and_leaves_it_a_device()
    {
        var bars = new[] { new Bar(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1, 2, 0.5, 1.5, 10) };
        var written = await CsvBarWriter.WriteAsync("/dev/null", bars.ToAsyncEnumerable(), CancellationToken.None);
        Assert.That(written, Is.EqualTo(1));
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", "/dev/null"]) { RedirectStandardOutput = true })!;
        Assert.That((await stat.StandardOutput.ReadToEndAsync()).Trim(), Is.EqualTo("character special file"));
    }

    [Test]
    public async Task A_file_is_replaced_whole_and_no_temporary_file_is_left()
    {
        var dir = Directory.CreateTempSubdirectory("ktrdr-writer-").FullName;
        try
        {
            var path = Path.Combine(dir, "X_1d.csv");
            await File.WriteAllTextAsync(path, "old content");
            var bars = new[] { new Bar(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1, 2, 0.5, 1.5, 10) };
            await CsvBarWriter.WriteAsync(path, bars.ToAsyncEnumerable(), CancellationToken.None);
            Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n"));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
