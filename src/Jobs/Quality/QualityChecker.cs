using System.Diagnostics;
using Ktrdr.Backends;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Runs the quality checks of series stored in the database: each series is read once, in time order, through the
/// database's ordered read path (<see cref="IBarReader.LoadAsync"/>: binary COPY by windows of chunks on
/// TimescaleDB, one ordered scan on a plain table) and fed bar by bar to a <see cref="SeriesQualityAnalyzer"/>; no
/// bar is kept. Several series are checked at once. Read-only; what to do with the findings is the caller's.
/// </summary>
public sealed class QualityChecker(IBarReader database, IOptions<QualityOptions> options)
{
    private QualityRules? _rules;

    /// <summary>The rules file, read once.</summary>
    /// <exception cref="ArgumentException">The rules file cannot be read or has a bad line.</exception>
    public QualityRules Rules => _rules ??= QualityRules.Load(options.Value.RulesFile);

    /// <summary>Checks <paramref name="keys"/> (<paramref name="parallelism"/> at once), then compares their sessions per timeframe.</summary>
    /// <exception cref="Npgsql.NpgsqlException">The database cannot be read.</exception>
    public async Task<QualityReport> CheckAsync(IReadOnlyList<SeriesKey> keys, int parallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var clock = Stopwatch.StartNew();
        var rules = Rules;
        var results = new SeriesQuality[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, parallelism),
            CancellationToken = cancellationToken,
        }, async (index, ct) => results[index] = await CheckSeriesAsync(keys[index], rules, ct));
        return new QualityReport(SessionConsensus.Apply(results, rules), options.Value.ReportFindings, clock.Elapsed);
    }

    private async Task<SeriesQuality> CheckSeriesAsync(SeriesKey key, QualityRules rules, CancellationToken cancellationToken)
    {
        var analyzer = new SeriesQualityAnalyzer(key, options.Value, rules);
        await foreach (var bar in database.LoadAsync(key, null, null, cancellationToken))
        {
            analyzer.Add(bar);
        }

        return analyzer.Finish();
    }
}
