using System.Diagnostics;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Telemetry;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs.Verification;

/// <summary>
/// <c>./ktrdr verify</c>: every CSV series of the data directory against the database with <see cref="SeriesComparer"/>
/// (the comparison the migration's verification job uses), then <see cref="IntegrityChecker"/>. Read-only and
/// repeatable. Several series are compared at once; each streams, so memory does not grow with the data.
/// </summary>
public sealed class DataVerifier(SeriesComparer comparer, TimescaleBackend database, IntegrityChecker integrity)
{
    /// <summary>Compares and checks everything <paramref name="request"/> covers.</summary>
    /// <exception cref="DirectoryNotFoundException">The data directory does not exist.</exception>
    /// <exception cref="Npgsql.NpgsqlException">The database cannot be reached or has no schema.</exception>
    public async Task<VerificationReport> VerifyAsync(VerifyRequest request, IProgress<VerifyProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = KtrdrActivity.Source.StartActivity(JobPlatformSpans.VerifyData);
        var clock = Stopwatch.StartNew();
        var csv = new CsvBackend(Options.Create(new CsvOptions { DataDir = request.DataDir }));
        var skipped = new List<string>();
        var keys = new List<SeriesKey>();
        foreach (var key in csv.ListSeries().Where(k => k.IsSelectedBy(request.Symbols, request.Timeframes)))
        {
            var problem = CsvEntryCheck.Problem(request.DataDir, csv.PathOf(key), request.FollowSymlinks);
            if (problem is null)
            {
                keys.Add(key);
            }
            else
            {
                skipped.Add($"{Path.GetFileName(csv.PathOf(key))}: {problem}");
            }
        }

        var results = new SeriesComparison?[keys.Count];
        var unreadable = new string?[keys.Count];
        int done = 0;
        long rows = 0;
        var indexed = keys.Select((key, index) => (key, index));
        await Parallel.ForEachAsync(indexed, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, request.Parallelism),
            CancellationToken = cancellationToken,
        }, async (entry, ct) =>
        {
            try
            {
                results[entry.index] = await comparer.CompareAsync(entry.key, csv.PathOf(entry.key), request.Range, null, ct);
                Interlocked.Add(ref rows, results[entry.index]!.CsvRows);
            }
            catch (CsvFileException ex)
            {
                unreadable[entry.index] = $"{entry.key}: {ex.Message}";
            }

            progress?.Report(new VerifyProgress(Interlocked.Increment(ref done), keys.Count, Interlocked.Read(ref rows), clock.Elapsed));
        });

        var compared = clock.Elapsed;
        var inCsv = keys.ToHashSet();
        var databaseOnly = (await database.ListSeriesAsync(cancellationToken))
            .Where(k => k.IsSelectedBy(request.Symbols, request.Timeframes) && !inCsv.Contains(k)).ToList();
        var checks = await integrity.CheckAsync(cancellationToken);
        activity?.SetTag(JobSpans.Files, keys.Count);
        activity?.SetTag("migration.mismatching_files", results.Count(r => r is { Matches: false }) + unreadable.Count(u => u is not null));
        return new VerificationReport(results.OfType<SeriesComparison>().ToList(), unreadable.OfType<string>().ToList(), databaseOnly, checks, compared, clock.Elapsed)
        {
            Skipped = skipped,
        };
    }
}
