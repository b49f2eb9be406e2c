using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Ktrdr.Tests.Worker;

/// <summary>The cutover's promise to readers: the same command prints the same bytes whichever store answers.</summary>
public sealed class DataCommandParityTests
{
    private static readonly string[][] Commands =
    [
        ["data", "show", "AAPL", "1d", "--tail", "5"],
        ["data", "show", "SPY", "5m"],
        ["data", "load", "AAPL", "1d"],
        ["data", "load", "SPY", "5m", "--start-date", "2020-01-02", "--end-date", "2020-01-03T06:30:00Z"],
        ["data", "load", "EURUSD", "1h", "--start-date", "2020-01-10"],
        ["data", "get-range", "EURUSD", "1h"],
        ["data", "get-range", "SPY", "5m"],
        ["data", "list-symbols"],
        ["data", "list-symbols", "--timeframe", "1d"],
        ["data", "list-symbols", "--timeframe", "4h"],
    ];

    [OneTimeSetUp]
    public Task Migrate() => MigratedStore.EnsureAsync();

    [TestCaseSource(nameof(Commands))]
    public async Task Each_data_command_prints_the_same_output_under_both_db_types(string[] args)
    {
        var csv = await CliProcess.RunAsync(MigratedStore.Environment("csv"), args);
        var database = await CliProcess.RunAsync(MigratedStore.Environment("postgresql"), args);

        Assert.That(csv.ExitCode, Is.EqualTo(0), csv.Stderr);
        Assert.That(database.ExitCode, Is.EqualTo(0), database.Stderr);
        Assert.That(database.Stdout, Is.EqualTo(csv.Stdout));
        Assert.That(csv.Stderr, Does.Contain("backend: csv"));
        Assert.That(database.Stderr, Does.Contain("backend: timescaledb"));
    }

    [Test]
    public async Task Load_to_a_file_writes_the_same_bytes_under_both_db_types()
    {
        var csvFile = Path.Combine(MigratedStore.Root, "load-csv", "SPY_5m.csv");
        var databaseFile = Path.Combine(MigratedStore.Root, "load-db", "SPY_5m.csv");

        var csv = await CliProcess.RunAsync(MigratedStore.Environment("csv"), "data", "load", "SPY", "5m", "--output", csvFile);
        var database = await CliProcess.RunAsync(MigratedStore.Environment("postgresql"), "data", "load", "SPY", "5m", "--output", databaseFile);

        Assert.That((csv.ExitCode, database.ExitCode), Is.EqualTo((0, 0)), csv.Stderr + database.Stderr);
        Assert.That(await File.ReadAllBytesAsync(databaseFile), Is.EqualTo(await File.ReadAllBytesAsync(csvFile)));
    }

    [Test]
    public async Task A_symbol_or_timeframe_that_could_leave_the_data_directory_is_refused_with_a_message()
    {
        var symbol = await CliProcess.RunAsync(MigratedStore.Environment("csv"), "data", "show", "../../etc/passwd", "1d");
        var timeframe = await CliProcess.RunAsync(MigratedStore.Environment("postgresql"), "data", "get-range", "AAPL", "1d/../x");

        Assert.That(symbol.ExitCode, Is.EqualTo(2));
        Assert.That(symbol.Stderr, Does.Contain("symbol '../../etc/passwd' is not valid"));
        Assert.That(timeframe.ExitCode, Is.EqualTo(2));
        Assert.That(timeframe.Stderr, Does.Contain("timeframe '1d/../x' is not valid"));
    }

    [Test]
    public async Task Export_round_trip_returns_bit_identical_bars_and_verifies_clean()
    {
        var exportDir = Path.Combine(MigratedStore.Root, "export");

        var export = await MigratedStore.RunAsync("data", "export", "--to", exportDir);

        Assert.That(export.ExitCode, Is.EqualTo(0), export.Stderr);
        Assert.That(export.Stdout, Does.Contain($"exported {MigratedStore.Files.Length} series"));
        var original = new CsvBackend(Options.Create(new CsvOptions { DataDir = MigratedStore.DataDir }));
        var exported = new CsvBackend(Options.Create(new CsvOptions { DataDir = exportDir }));
        Assert.That(exported.ListSeries(), Is.EqualTo(original.ListSeries()));
        foreach (var key in original.ListSeries())
        {
            var before = await original.LoadAsync(key, null, null, CancellationToken.None).ToListAsync();
            var after = await exported.LoadAsync(key, null, null, CancellationToken.None).ToListAsync();
            Assert.That(after, Is.EqualTo(before), key.ToString());
            Assert.That(after.Select(Bits), Is.EqualTo(before.Select(Bits)), key.ToString());
        }

        // The exported files are the database exactly: verify finds nothing absent and nothing different.
        var verify = await CliProcess.RunAsync(MigratedStore.Environment("postgresql", exportDir), "verify");
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stdout + verify.Stderr);
        Assert.That(verify.Stdout, Does.Match(@"(?m)^AAPL\s+1d\s+400\s+400\s+0\s"));
    }

    private static string Bits(Bar bar) =>
        string.Join(',', new[] { bar.Open, bar.High, bar.Low, bar.Close, bar.Volume }.Select(BitConverter.DoubleToInt64Bits)) + "@" + bar.Time.Ticks;
}
