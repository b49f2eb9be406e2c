using System.Diagnostics;
using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Verification;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Microsoft.Extensions.Options;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Chunks compressed by TimescaleDB's compression policy, run by its own background workers as in production, on
/// runs of the real worker (planner, Hangfire jobs, verification) on the native engine.
/// </summary>
[NonParallelizable] // Hangfire in this process, and TimescaleDB's schedulers (CompressionPolicy)
public sealed class CompressionPolicyTests
{
    private const string KnownFault = CompressionPolicy.KnownEngineFault;

    [Test, CancelAfter(900_000)]
    public async Task Series_compressed_by_the_policy_verifies_and_reads_exactly(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("compressread");
        var policy = await CompressionPolicy.StartAsync(harness.ConnectionString);
        var writer = new SampleDataWriter();
        var files = new (string Symbol, string Timeframe, int Rows, bool Bad)[]
        {
            ("EURUSD", "1m", 300_000, false), ("AAPL", "1h", 3000, true), ("MSFT", "1d", 1500, false),
        };
        foreach (var (symbol, timeframe, rows, bad) in files)
        {
            await writer.WriteAsync(harness.DataDir, symbol, timeframe, rows, bad, cancellationToken);
        }

        harness.StartServer("compressread");
        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), TimeSpan.FromMinutes(5), cancellationToken);
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), run.Error);
        var (compressedBefore, chunks) = await policy.ChunksAsync();
        Assert.That((compressedBefore, chunks > 0), Is.EqualTo((0L, true)), "the paused policy has compressed nothing yet");

        var before = await TimeVerifyAsync(harness, "before compression", cancellationToken);
        var errors = await policy.RunInBackgroundAsync();
        LogErrors(errors);
        Assert.That(errors.Where(e => e != KnownFault), Is.Empty, "the policy's background run failed");
        var (compressed, total) = await policy.ChunksAsync();
        Assert.That((compressed, total), Is.EqualTo((chunks, chunks)), "every chunk is older than TSDB_COMPRESS_AFTER (30 days): the policy compressed them all");
        var (bytesBefore, bytesAfter) = await policy.CompressedBytesAsync();
        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"compression: {compressed} chunks, {bytesBefore:N0} bytes before, {bytesAfter:N0} bytes after, ratio {(double)bytesBefore / Math.Max(bytesAfter, 1):F1}x"));

        var after = await TimeVerifyAsync(harness, "after compression", cancellationToken);
        Assert.That(after.Passed, Is.True, string.Join("; ", after.Series.Where(s => !s.Matches).Select(s => s.Summary)));
        Assert.That(after.RowsCompared, Is.EqualTo(files.Sum(f => f.Rows)).And.EqualTo(before.RowsCompared));

        var csv = new CsvBackend(Options.Create(new CsvOptions { DataDir = harness.DataDir }));
        var backend = harness.Services.GetRequiredService<TimescaleBackend>();
        foreach (var (symbol, timeframe, rows, _) in files)
        {
            var key = new SeriesKey(symbol, timeframe);
            var expected = await csv.LoadAsync(key, null, null, cancellationToken).ToListAsync(cancellationToken);
            var stored = await backend.LoadAsync(key, null, null, cancellationToken).ToListAsync(cancellationToken);
            Assert.That(expected, Has.Count.EqualTo(rows));
            Assert.That(stored, Is.EqualTo(expected), $"{key}: the bars read back from compressed chunks equal the file's, value for value");

            // A window across chunk boundaries, as the read API asks for one.
            var from = expected[rows / 3].Time;
            var to = expected[rows / 3 * 2].Time;
            var window = await backend.LoadAsync(key, from, to, cancellationToken).ToListAsync(cancellationToken);
            Assert.That(window, Is.EqualTo(expected.Where(b => b.Time >= from && b.Time < to).ToList()), $"{key}: [{from:O}, {to:O})");
        }
    }

    [Test, CancelAfter(900_000)]
    public async Task The_policy_compressing_while_imports_write_loses_and_doubles_no_bar(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("compressrace");
        var policy = await CompressionPolicy.StartAsync(harness.ConnectionString);
        var writer = new SampleDataWriter();

        // First two series, compressed: every later file of the same months writes into compressed chunks.
        var first = new (string Symbol, string Timeframe, int Rows, bool Bad)[] { ("AAPL", "1m", 200_000, false), ("MSFT", "1m", 200_000, true) };
        foreach (var (symbol, timeframe, rows, bad) in first)
        {
            await writer.WriteAsync(harness.DataDir, symbol, timeframe, rows, bad, cancellationToken);
        }

        harness.StartServer("compressrace", workers: 1);
        var firstRun = await harness.WaitForRunAsync(await harness.StartRunAsync(), TimeSpan.FromMinutes(5), cancellationToken);
        Assert.That(firstRun.State, Is.EqualTo(RunState.Succeeded), firstRun.Error);
        var errors = new List<string>(await policy.RunInBackgroundAsync());
        var (compressed, chunks) = await policy.ChunksAsync();
        Assert.That(compressed, Is.EqualTo(chunks).And.GreaterThan(0), "the first series are compressed before the race starts");

        var second = new (string Symbol, string Timeframe, int Rows, bool Bad)[]
        {
            ("SPY", "1m", 300_000, false), ("QQQ", "1m", 300_000, false), ("EURUSD", "5m", 60_000, true), ("GBPUSD", "1h", 5000, false),
        };
        foreach (var (symbol, timeframe, rows, bad) in second)
        {
            await writer.WriteAsync(harness.DataDir, symbol, timeframe, rows, bad, cancellationToken);
        }

        // The run re-imports the compressed series (reading compressed chunks) and imports the new ones (writing into
        // them) while the policy is triggered again and again.
        var runId = await harness.StartRunAsync();
        int runsDuringImports = 0, runsSpanningAnImport = 0;
        while (await harness.Store.GetRunAsync(runId, cancellationToken) is { State: RunState.Importing })
        {
            var processing = (await harness.Store.GetItemsAsync(runId, cancellationToken)).Where(i => i.State == ItemState.Processing).Select(i => i.Id).ToHashSet();
            errors.AddRange(await policy.RunInBackgroundAsync());
            runsDuringImports++;
            var still = (await harness.Store.GetItemsAsync(runId, cancellationToken)).Where(i => i.State == ItemState.Processing).Select(i => i.Id);
            runsSpanningAnImport += processing.Overlaps(still) ? 1 : 0;
        }

        var run = await harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(5), cancellationToken);
        var items = await harness.Store.GetItemsAsync(runId, cancellationToken);
        await TestContext.Out.WriteLineAsync($"policy runs triggered while the run imported: {runsDuringImports}, of which spanning an import from before its start to after its end: {runsSpanningAnImport}");
        LogErrors(errors);
        Assert.That(runsDuringImports, Is.GreaterThan(0), "the policy never ran while the imports wrote: the files are too small for this machine");
        // Each item's outcome in the message: a partial run once failed here with no run error to say which item and why.
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), run.Error + "; items: " +
            string.Join("; ", items.Select(i => $"{i.Symbol} {i.Timeframe} {i.State} attempts {i.Attempts} verified {i.Verified} {i.Error} {i.VerifyMessage}")));
        Assert.That(items.Select(i => (i.Symbol, i.State, i.Attempts, i.Error, i.Verified)),
            Is.EquivalentTo(first.Concat(second).Select(f => (f.Symbol, ItemState.Succeeded, 1, (string?)null, (bool?)true))),
            "every import succeeded at its first attempt (no deadlock, no retried fault) and verified");
        Assert.That(items.Where(i => first.Any(f => f.Symbol == i.Symbol)).Select(i => (i.Symbol, i.Inserted, i.AlreadyPresent)),
            Is.EquivalentTo(first.Select(f => (f.Symbol, (long?)0, (long?)f.Rows))), "the compressed series were already there, bar for bar");
        Assert.That(errors.Where(e => e != KnownFault), Is.Empty, "no background run of the policy failed (a deadlock would show here)");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM hangfire.job WHERE statename = 'Failed'"), Is.Zero, "no Hangfire job failed");
        foreach (var (symbol, timeframe, rows, _) in first.Concat(second))
        {
            Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = @symbol AND timeframe = @timeframe", new { symbol, timeframe }),
                Is.EqualTo(rows), $"{symbol} {timeframe}: one row per good line of the file");
        }

        var last = await policy.RunInBackgroundAsync();
        Assert.That(last.Where(e => e != KnownFault), Is.Empty);
        var (compressedAfter, total) = await policy.ChunksAsync();
        Assert.That(compressedAfter, Is.EqualTo(total), "every chunk compressed after the race");
        var report = await TimeVerifyAsync(harness, "after the race, all compressed", cancellationToken);
        Assert.That(report.Passed, Is.True, string.Join("; ", report.Series.Where(s => !s.Matches).Select(s => s.Summary)));
        Assert.That(report.RowsCompared, Is.EqualTo(first.Concat(second).Sum(f => f.Rows)));
    }

    /// <summary>Runs <see cref="DataVerifier"/> (what <c>./ktrdr verify</c> runs) three times and prints each time.</summary>
    private static async Task<VerificationReport> TimeVerifyAsync(JobsHarness harness, string label, CancellationToken cancellationToken)
    {
        var verifier = harness.Services.GetRequiredService<DataVerifier>();
        VerificationReport? report = null;
        var seconds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            report = await verifier.VerifyAsync(new VerifyRequest(harness.DataDir, [], [], VerifyRequest.DefaultParallelism), null, cancellationToken);
            seconds.Add(clock.Elapsed.TotalSeconds);
            Assert.That(report.Passed, Is.True, $"{label}: " + string.Join("; ", report.Series.Where(s => !s.Matches).Select(s => s.Summary)));
        }

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"verify {label}: {report!.RowsCompared:N0} rows in {string.Join(" / ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s (compare {report.CompareElapsed.TotalSeconds:F2} s, {report.RowsPerSecond:N0} rows/s on the last)"));
        return report;
    }

    private static void LogErrors(IReadOnlyCollection<string> errors) =>
        TestContext.Out.WriteLine($"policy run errors: {errors.Count} ({errors.Count(e => e == KnownFault)} the engine's known fault: {KnownFault})");
}
