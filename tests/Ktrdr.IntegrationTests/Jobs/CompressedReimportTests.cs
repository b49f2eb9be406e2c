using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Verification;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Runs and self-heal over series whose chunks the compression policy has compressed (in TimescaleDB's background
/// workers): re-imports, appended bars and bars deleted from compressed chunks.
/// </summary>
[NonParallelizable] // Hangfire in this process, and TimescaleDB's schedulers (CompressionPolicy)
public sealed class CompressedReimportTests
{
    private static readonly (string Symbol, string Timeframe, int Rows, bool Bad)[] Files =
    [
        ("AAPL", "1h", 3000, true), ("MSFT", "1d", 1000, false), ("EURUSD", "5m", 20_000, false),
    ];

    private JobsHarness _harness = null!;
    private CompressionPolicy _policy = null!;

    [OneTimeSetUp]
    public async Task MigrateAndCompressAsync()
    {
        _harness = await JobsHarness.CreateAsync("compressreimport");
        _policy = await CompressionPolicy.StartAsync(_harness.ConnectionString);
        var writer = new SampleDataWriter();
        foreach (var (symbol, timeframe, rows, bad) in Files)
        {
            await writer.WriteAsync(_harness.DataDir, symbol, timeframe, rows, bad, CancellationToken.None);
        }

        _harness.StartServer("compressreimport");
        var run = await _harness.WaitForRunAsync(await _harness.StartRunAsync());
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), run.Error);
        await CompressAllAsync();
    }

    [OneTimeTearDown]
    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Test, Order(1), CancelAfter(300_000)]
    public async Task Migrating_the_same_files_again_inserts_nothing_and_counts_every_bar_present(CancellationToken cancellationToken)
    {
        var (compressed, chunks) = await _policy.ChunksAsync();
        Assert.That(compressed, Is.EqualTo(chunks).And.GreaterThan(0), "the bars are in compressed chunks");

        var (run, items) = await RunAsync(cancellationToken);

        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), run.Error);
        Assert.That(items.Select(i => (i.Symbol, i.Inserted, i.AlreadyPresent, i.Conflicting, i.Verified)),
            Is.EquivalentTo(Files.Select(f => (f.Symbol, (long?)0, (long?)f.Rows, (long?)0, (bool?)true))));
        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(Files.Sum(f => f.Rows)));
        Assert.That(await _policy.ChunksAsync(), Is.EqualTo((chunks, chunks)), "a re-run that writes nothing leaves every chunk compressed");
    }

    [Test, Order(2), CancelAfter(300_000)]
    public async Task A_file_with_bars_appended_inserts_exactly_those_into_the_compressed_chunk(CancellationToken cancellationToken)
    {
        const int Appended = 5;
        var key = new SeriesKey("EURUSD", "5m");
        var rows = Files.Single(f => f.Symbol == key.Symbol).Rows;
        await new SampleDataWriter().WriteAsync(_harness.DataDir, key.Symbol, key.Timeframe, rows + Appended, false, cancellationToken);
        var expected = await new CsvBackend(Options.Create(new CsvOptions { DataDir = _harness.DataDir }))
            .LoadAsync(key, null, null, cancellationToken).ToListAsync(cancellationToken);
        var firstNew = expected[rows].Time;
        Assert.That(await _policy.IsCompressedAtAsync(firstNew), Is.True, $"the chunk of {firstNew:O}, where the new bars go, is compressed");

        var (run, items) = await RunAsync(cancellationToken);

        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), run.Error);
        Assert.That(items.Select(i => (i.Symbol, i.Inserted, i.AlreadyPresent, i.Verified)),
            Is.EquivalentTo(Files.Select(f => (f.Symbol, (long?)(f.Symbol == key.Symbol ? Appended : 0), (long?)f.Rows, (bool?)true))));
        var stored = await _harness.Services.GetRequiredService<TimescaleBackend>().LoadAsync(key, null, null, cancellationToken).ToListAsync(cancellationToken);
        Assert.That(stored, Is.EqualTo(expected), "the series equals the longer file, value for value");
    }

    [Test, Order(3), CancelAfter(600_000)]
    public async Task Self_heal_repairs_bars_deleted_from_compressed_chunks_and_verifies_exactly_after(CancellationToken cancellationToken)
    {
        await CompressAllAsync();
        var msftFrom = new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var aaplFrom = new DateTime(2020, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.That((await _policy.IsCompressedAtAsync(msftFrom), await _policy.IsCompressedAtAsync(aaplFrom)), Is.EqualTo((true, true)),
            "the bars to delete are in compressed chunks");
        var before = await _harness.ScalarAsync("SELECT count(*) FROM price_data");
        await using (var connection = new NpgsqlConnection(_harness.ConnectionString))
        {
            var deleted = await connection.ExecuteAsync("""
                DELETE FROM price_data WHERE symbol = 'MSFT' AND timeframe = '1d' AND time >= @msftFrom AND time < @msftFrom::timestamptz + interval '59 days';
                DELETE FROM price_data WHERE symbol = 'AAPL' AND timeframe = '1h' AND time >= @aaplFrom AND time < @aaplFrom::timestamptz + interval '1 day';
                """, new { msftFrom, aaplFrom });
            Assert.That(deleted, Is.EqualTo(59 + 24), "DELETE removed the bars from the compressed chunks");
        }

        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(before - 59 - 24));

        var nightly = _harness.Services.GetRequiredService<NightlyVerifyJob>();
        Assert.That(await nightly.RunAsync(cancellationToken), Is.EqualTo(2), "two series do not match");
        await using (var connection = new NpgsqlConnection(_harness.ConnectionString))
        {
            var heals = (await connection.QueryAsync<long>(
                "SELECT heal_run_id FROM verification_results WHERE NOT passed AND heal_run_id IS NOT NULL ORDER BY symbol")).ToList();
            Assert.That(heals, Has.Count.EqualTo(2), "one re-import run per mismatching series");
            foreach (var heal in heals)
            {
                var healed = await _harness.WaitForRunAsync(heal, cancellationToken: cancellationToken);
                Assert.That(healed.State, Is.EqualTo(RunState.Succeeded), healed.Error);
            }

            Assert.That(await connection.ExecuteScalarAsync<long>(
                "SELECT sum(inserted)::bigint FROM migration_items WHERE run_id = ANY(@heals)", new { heals }), Is.EqualTo(59 + 24),
                "the re-imports inserted exactly the deleted bars");
        }

        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(before));
        Assert.That(await nightly.RunAsync(cancellationToken), Is.Zero, "every series matches after the heal");
        var report = await _harness.Services.GetRequiredService<DataVerifier>()
            .VerifyAsync(new VerifyRequest(_harness.DataDir, [], [], VerifyRequest.DefaultParallelism), null, cancellationToken);
        Assert.That(report.Passed, Is.True, string.Join("; ", report.Series.Where(s => !s.Matches).Select(s => s.Summary)));
        Assert.That(report.RowsCompared, Is.EqualTo(before));
    }

    private async Task CompressAllAsync()
    {
        var errors = await _policy.RunInBackgroundAsync();
        Assert.That(errors.Where(e => e != CompressionPolicy.KnownEngineFault), Is.Empty, "the policy's background run failed");
        var (compressed, chunks) = await _policy.ChunksAsync();
        Assert.That(compressed, Is.EqualTo(chunks).And.GreaterThan(0), "the policy compressed every chunk (all are older than 30 days)");
    }

    private async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> RunAsync(CancellationToken cancellationToken)
    {
        var runId = await _harness.StartRunAsync();
        var run = await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);
        return (run, await _harness.Store.GetItemsAsync(runId, cancellationToken));
    }
}
