using System.Globalization;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Demo;

public sealed class SampleDataWriterTests
{
    private static async Task<string[][]> WriteAsync(SampleDataWriter writer)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ktrdr-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = await writer.WriteAsync(dir, "AAPL", "5m", 2_000, withBadLines: false, CancellationToken.None);
            return (await File.ReadAllLinesAsync(path)).Skip(1).Select(l => l.Split(',')).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Decimals(string number) => number.Contains('.', StringComparison.Ordinal) ? number.Length - number.IndexOf('.') - 1 : 0;

    [Test]
    public async Task Prices_have_at_most_the_decimals_asked_for_and_volumes_are_whole()
    {
        var rows = await WriteAsync(new SampleDataWriter(decimals: 2));

        Assert.That(rows, Has.Length.EqualTo(2_000));
        Assert.That(rows.SelectMany(r => r[1..5]).Max(Decimals), Is.EqualTo(2));
        Assert.That(rows.Select(r => double.Parse(r[5], CultureInfo.InvariantCulture)), Has.All.Matches<double>(v => v == Math.Floor(v)));
        Assert.That(rows, Has.All.Matches<string[]>(r =>
        {
            var v = r[1..5].Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return v[1] >= Math.Max(v[0], v[3]) && v[2] <= Math.Min(v[0], v[3]);
        }), "high >= open, close >= low");
    }

    [Test]
    public async Task The_default_is_unchanged_four_decimals()
    {
        var rows = await WriteAsync(new SampleDataWriter());

        Assert.That(rows.SelectMany(r => r[1..5]).Max(Decimals), Is.EqualTo(SampleDataWriter.DefaultDecimals));
    }

    [Test]
    public void Decimals_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SampleDataWriter(decimals: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SampleDataWriter(decimals: -1));
    }
}
