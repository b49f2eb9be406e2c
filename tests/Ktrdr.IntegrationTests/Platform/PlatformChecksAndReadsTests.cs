using System.Globalization;
using System.Text;
using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ktrdr.Tests.Platform;

/// <summary>The platform's CHECK constraints against the import's validation, and the read path on its indexes and space dimension.</summary>
public sealed class PlatformChecksAndReadsTests
{
    private static readonly string[] Prices = ["-1", "0", "1", "2", "NaN", "Infinity"];
    private static readonly string[] Volumes = ["-1", "-2", "0", "5", "NaN", "-Infinity"];

    [Test]
    public async Task Every_row_the_platform_CHECK_constraints_refuse_is_rejected_with_a_reason_and_every_row_the_import_keeps_passes_them()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_checks");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = (from o in Prices from h in Prices from l in Prices from c in Prices from v in Volumes select $"{o},{h},{l},{c},{v}").ToList();
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ},{lines[i]}\n");
        }

        var path = Path.Combine(harness.DataDir, "CHK_1m.csv");
        await File.WriteAllTextAsync(path, text.ToString());
        var rows = new List<CsvRow>();
        using (var file = CsvBarFile.Open(path))
        {
            await foreach (var row in file.ReadAsync(CancellationToken.None))
            {
                rows.Add(row);
            }
        }

        Assert.That(rows, Has.Count.EqualTo(lines.Count));
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        await connection.OpenAsync();
        int refused = 0, kept = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var raw = lines[i].Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var refusedByChecks = !await InsertsAsync(connection, start.AddMinutes(i), raw[0], raw[1], raw[2], raw[3], raw[4]);
            var row = rows[i];
            if (refusedByChecks)
            {
                refused++;
                Assert.That(row.Kind == CsvRowKind.Bar ? row.VolumeNormalized && raw[4] == BarValidator.NoVolumeSentinel : row.Reason is { Length: > 0 }, Is.True,
                    $"line '{lines[i]}': the CHECK constraints refuse it, the import {(row.Kind == CsvRowKind.Bar ? "keeps it" : "rejects it without a reason")}");
            }

            if (row.Kind == CsvRowKind.Bar)
            {
                kept++;
                var b = row.Bar;
                Assert.That(await InsertsAsync(connection, start.AddMinutes(i).AddSeconds(30), b.Open, b.High, b.Low, b.Close, b.Volume), Is.True,
                    $"line '{lines[i]}': the import keeps it as {b}, which the CHECK constraints refuse");
            }
        }

        Assert.That((refused, kept), Is.Not.EqualTo((0, 0)));
        TestContext.Out.WriteLine($"{lines.Count} lines: {refused} refused by the CHECK constraints, {kept} kept by the import");
    }

    [Test]
    public async Task Reads_of_a_series_on_the_platform_schema_are_ordered_index_scans_without_a_sort()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_reads");
        var backend = harness.Services.GetRequiredService<TimescaleBackend>();
        var start = DateTime.UtcNow.Date.AddDays(-20);
        var bars = Enumerable.Range(0, 5_000).Select(i => new Bar(start.AddMinutes(5 * i), 10, 11, 9, 10.5, i)).ToList();
        foreach (var symbol in new[] { "PA", "PB", "PC", "PD", "PE" })
        {
            await backend.SaveAsync(new SeriesKey(symbol, "5m"), bars.ToAsyncEnumerable(), CancellationToken.None);
        }

        await using (var connection = new NpgsqlConnection(harness.ConnectionString))
        {
            await connection.ExecuteAsync("ANALYZE price_data");
        }

        var key = new SeriesKey("PC", "5m");
        var (plans, read) = await PlansOfAsync(harness.ConnectionString, b => b.LoadAsync(key, null, null, CancellationToken.None).ToListAsync().AsTask());

        Assert.That(read.Select(b => b.Time), Is.EqualTo(bars.Select(b => b.Time)), "every bar, in time order");
        var plan = plans.Single(p => p.Contains("FROM price_data", StringComparison.Ordinal));
        Assert.That(plan, Does.Contain("Index Scan Backward using").And.Contain("idx_price_data_symbol_timeframe_time"));
        // The symbol is a run-time setting, so the space partitions of a time range are not excluded at plan time: their
        // ordered index scans are merged (Merge Append), which needs no sort node; the other partitions' scans find nothing.
        Assert.That(plan, Does.Not.Match(@"Sort  \(cost").And.Not.Contain("Bitmap").And.Not.Contain("Seq Scan"));
        TestContext.Out.WriteLine(plan);
    }

    private static async Task<bool> InsertsAsync(NpgsqlConnection connection, DateTime time, double open, double high, double low, double close, double volume)
    {
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume) VALUES (@time, 'CHK', '1m', @open, @high, @low, @close, @volume)",
                new { time, open, high, low, close, volume });
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="read"/> on a backend whose connections have auto_explain send every plan back as a notice.</summary>
    private static async Task<(IReadOnlyList<string> Plans, List<Bar> Read)> PlansOfAsync(string connectionString, Func<TimescaleBackend, Task<List<Bar>>> read)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_level=notice";
        var plans = new List<string>();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new NoticeCollector(plans)));
        builder.UseLoggerFactory(loggerFactory);
        await using var dataSource = builder.Build();
        var bars = await read(new TimescaleBackend(dataSource));
        lock (plans)
        {
            return ([.. plans], bars);
        }
    }
}
