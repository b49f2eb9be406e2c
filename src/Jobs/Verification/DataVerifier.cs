using System.Diagnostics;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;

namespace Ktrdr.Jobs.Verification;

/// <summary>
/// <c>./ktrdr verify</c>: every CSV series of the data directory against the database with <see cref="SeriesComparer"/>
/// (the comparison the migration's verification job uses), then <see cref="IntegrityChecker"/>. Read-only and
/// repeatable. Several series are compared at once; each streams, so memory does not grow with the data.
/// </summary>
public sealed class DataVerifier(SeriesComparer comparer, ICsvCatalog catalog, IStoredSeriesReader database, IIntegrityChecks integrity)
{
    /// <summary>Compares and checks everything <paramref name="request"/> covers.</summary>
    /// <exception cref="DirectoryNotFoundException">The data directory does not exist.</exception>
    /// <exception cref="Npgsql.NpgsqlException">The database cannot be reached or has no schema.</exception>
    public async Task<VerificationReport> VerifyAsync(VerifyRequest request, IProgress<VerifyProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = KtrdrActivity.Source.StartActivity(JobPlatformSpans.VerifyData);
        var clock = Stopwatch.StartNew();
        var skipped = new List<string>();
        var files = new List<SeriesFile>();
        foreach (var file in catalog.ListFiles(request.DataDir).Where(f => f.Key.IsSelectedBy(request.Symbols, request.Timeframes)))
        {
            var problem = CsvEntryCheck.Problem(request.DataDir, file.Path, request.FollowSymlinks);
            if (problem is null)
            {
                files.Add(file);
            }
            else
            {
                skipped.Add($"{Path.GetFileName(file.Path)}: {problem}");
            }
        }

        var results = new SeriesComparison?[files.Count];
        var unreadable = new string?[files.Count];
        int done = 0;
        long rows = 0;
        var indexed = files.Select((file, index) => (file, index));
        await Parallel.ForEachAsync(indexed, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, request.Parallelism),
            CancellationToken = cancellationToken,
        }, async (entry, ct) =>
        {
            try
            {
                results[entry.index] = await comparer.CompareAsync(entry.file.Key, entry.file.Path, request.Range, null, ct);
                Interlocked.Add(ref rows, results[entry.index]!.CsvRows);
            }
            catch (CsvFileException ex)
            {
                unreadable[entry.index] = $"{entry.file.Key}: {ex.Message}";
            }

            progress?.Report(new VerifyProgress(Interlocked.Increment(ref done), files.Count, Interlocked.Read(ref rows), clock.Elapsed));
        });

        var compared = clock.Elapsed;
        var inCsv = files.Select(f => f.Key).ToHashSet();
        var databaseOnly = (await database.ListSeriesAsync(cancellationToken))
            .Where(k => k.IsSelectedBy(request.Symbols, request.Timeframes) && !inCsv.Contains(k)).ToList();
        var checks = await integrity.CheckAsync(cancellationToken);
        activity?.SetTag(JobSpans.Files, files.Count);
        activity?.SetTag("migration.mismatching_files", results.Count(r => r is { Matches: false }) + unreadable.Count(u => u is not null));
        return new VerificationReport(results.OfType<SeriesComparison>().ToList(), unreadable.OfType<string>().ToList(), databaseOnly, checks, compared, clock.Elapsed)
        {
            Skipped = skipped,
        };
    }
}
