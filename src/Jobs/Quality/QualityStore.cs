using System.Text.Json;
using Dapper;
using Npgsql;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Data-quality checks in <c>quality_checks</c> and their kept findings in <c>quality_findings</c>, for
/// <c>operations</c> and the dashboard. Saving a series' check replaces the previous one of the same source and run
/// (idempotent: a retried verification leaves one check per series).
/// </summary>
public sealed class QualityStore(NpgsqlDataSource dataSource)
{
    public const string SourceRun = "run";
    public const string SourceVerify = "verify";
    public const string SourceNightly = "nightly";
    public const string SourceOnDemand = "on-demand";

    /// <summary>Stores each series' check (one transaction per series).</summary>
    /// <exception cref="NpgsqlException">The database refused it (no schema: run './ktrdr db migrate').</exception>
    public async Task SaveAsync(string source, long? runId, IEnumerable<SeriesQuality> series, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var s in series)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM quality_checks WHERE symbol = @Symbol AND timeframe = @Timeframe AND source = @source AND run_id IS NOT DISTINCT FROM @runId
                """, new { s.Symbol, s.Timeframe, source, runId }, transaction, cancellationToken: cancellationToken));
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO quality_checks (source, run_id, symbol, timeframe, bars, first_time, last_time, findings, missing_bars, allowed, counts, notes)
                VALUES (@source, @runId, @Symbol, @Timeframe, @Bars, @First, @Last, @Total, @MissingBars, @Allowed, @counts::jsonb, @notes)
                RETURNING id
                """, new
            {
                source, runId, s.Symbol, s.Timeframe, s.Bars, s.First, s.Last, s.Total, s.MissingBars, s.Allowed,
                counts = JsonSerializer.Serialize(s.Counts), notes = string.Join("; ", s.Notes),
            }, transaction, cancellationToken: cancellationToken));
            var f = s.Findings;
            if (f.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO quality_findings (check_id, ordinal, kind, start_time, end_time, bars, size, detail)
                    SELECT @id, * FROM unnest(@ordinals, @kinds, @starts, @ends, @bars, @sizes, @details)
                    """, new
                {
                    id,
                    ordinals = Enumerable.Range(0, f.Count).ToArray(),
                    kinds = f.Select(x => x.Kind).ToArray(),
                    starts = f.Select(x => x.Start).ToArray(),
                    ends = f.Select(x => x.End).ToArray(),
                    bars = f.Select(x => x.Bars).ToArray(),
                    sizes = f.Select(x => x.Size).ToArray(),
                    details = f.Select(x => StoredText.Escape(x.Detail)).ToArray(),
                }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The checks of a run's verification, by symbol and timeframe.</summary>
    public Task<IReadOnlyList<QualitySummary>> ForRunAsync(long runId, CancellationToken cancellationToken) =>
        QueryAsync("WHERE run_id = @runId ORDER BY symbol, timeframe", new { runId }, cancellationToken);

    /// <summary>The latest check of every series, whatever its source.</summary>
    public Task<IReadOnlyList<QualitySummary>> LatestAsync(CancellationToken cancellationToken) =>
        QueryAsync("WHERE id IN (SELECT DISTINCT ON (symbol, timeframe) id FROM quality_checks ORDER BY symbol, timeframe, checked_at DESC, id DESC) ORDER BY symbol, timeframe",
            null, cancellationToken);

    /// <summary>The first <paramref name="limit"/> kept findings of a check, in time order.</summary>
    public async Task<IReadOnlyList<QualityFinding>> FindingsAsync(long checkId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, DateTime Start, DateTime End, long Bars, double Size, string Detail)>(new CommandDefinition("""
            SELECT kind, start_time, end_time, bars, size, detail FROM quality_findings WHERE check_id = @checkId ORDER BY start_time, ordinal LIMIT @limit
            """, new { checkId, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new QualityFinding(r.Kind, Utc(r.Start), Utc(r.End), r.Bars, r.Size, r.Detail)).ToList();
    }

    private async Task<IReadOnlyList<QualitySummary>> QueryAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The WHERE clauses are the constants of this class, never input.
        var rows = await connection.QueryAsync<(long Id, DateTime CheckedAt, string Source, long? RunId, string Symbol, string Timeframe, long Bars, long Findings, long MissingBars, long Allowed, string Counts)>(
            new CommandDefinition($"""
                SELECT id, checked_at, source, run_id, symbol, timeframe, bars, findings, missing_bars, allowed, counts::text FROM quality_checks {where}
                """, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new QualitySummary(r.Id, Utc(r.CheckedAt), r.Source, r.RunId, r.Symbol, r.Timeframe, r.Bars, r.Findings, r.MissingBars, r.Allowed,
            JsonSerializer.Deserialize<Dictionary<string, long>>(r.Counts) ?? [])).ToList();
    }

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
