using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Creates, for each configured derivation, a continuous aggregate over <c>price_data</c> with real-time aggregation
/// and a refresh policy, and refreshes it; run by <c>db migrate</c> after the hypertable exists (and
/// <see cref="RefreshAsync(CancellationToken)"/> by <c>migrate</c> after its imports). Idempotent: an
/// existing aggregate is kept, its policy set again. Code rather than a versioned script because what exists depends
/// on <c>KTRDR_DERIVED_TIMEFRAMES</c>. On plain PostgreSQL it creates nothing: <see cref="DerivedSeriesReader"/>
/// aggregates at read time. An aggregate whose derivation is no longer configured is left in place (unused).
/// </summary>
public sealed partial class DerivedAggregates(NpgsqlDataSource dataSource, IOptions<DerivedTimeframesOptions> options, ILogger<DerivedAggregates> logger)
{
    /// <summary>
    /// The volume of a bucket: the sum of its bars' volumes, or the -1 "no volume" sentinel when any of them has it (a
    /// sum that silently left out unknown volumes would look like a real, lower volume).
    /// </summary>
    internal const string VolumeSql = "CASE WHEN min(volume) < 0 THEN -1 ELSE sum(volume) END";

    private readonly DerivedTimeframesOptions _options = options.Value;

    /// <summary>Creates what is missing and refreshes every configured aggregate over all its data.</summary>
    /// <returns>The aggregates in force (names), empty on plain PostgreSQL or when nothing is configured.</returns>
    /// <exception cref="PostgresException">The server refused an aggregate; the message names it.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        var derivations = _options.Derivations;
        if (derivations.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await IsHypertableAsync(connection, cancellationToken))
        {
            LogReadTime(logger, string.Join(", ", derivations));
            return [];
        }

        foreach (var d in derivations)
        {
            await CreateAsync(connection, d, cancellationToken);
            await RefreshAsync(connection, d, cancellationToken);
            LogCreated(logger, d.ViewName, d.Source, d.Target, _options.RefreshInterval);
        }

        return derivations.Select(d => d.ViewName).ToList();
    }

    /// <summary>
    /// Materializes now what changed in the source bars (bars imported or changed below an aggregate's watermark are
    /// not served until then), as the refresh policy would on its schedule. Only invalidated buckets are recomputed.
    /// </summary>
    /// <returns>The aggregates refreshed; empty on plain PostgreSQL, when nothing is configured, or before <c>db migrate</c> created them.</returns>
    /// <exception cref="PostgresException">The server refused (42501: the role does not own the aggregates).</exception>
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        if (_options.Derivations.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var refreshed = new List<string>();
        foreach (var d in _options.Derivations)
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT to_regclass(@view) IS NOT NULL", new { view = Quoted(d) }, cancellationToken: cancellationToken)))
            {
                await RefreshAsync(connection, d, cancellationToken);
                refreshed.Add(d.ViewName);
            }
        }

        return refreshed;
    }

    /// <summary>One line per configured derivation: its aggregate and refresh policy, or that it is aggregated at read time.</summary>
    public async Task<IReadOnlyList<string>> StatusAsync(CancellationToken cancellationToken)
    {
        var derivations = _options.Derivations;
        if (derivations.Count == 0)
        {
            return ["derived timeframes: none (KTRDR_DERIVED_TIMEFRAMES)"];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await IsHypertableAsync(connection, cancellationToken))
        {
            return [$"derived timeframes (aggregated at read time, plain table): {string.Join(", ", derivations)}"];
        }

        var rows = (await connection.QueryAsync<(string View, bool MaterializedOnly, TimeSpan? Every, string? LastRun, DateTime? LastSuccess)>(new CommandDefinition("""
            SELECT c.view_name::text, c.materialized_only, j.schedule_interval, s.last_run_status, s.last_successful_finish
            FROM timescaledb_information.continuous_aggregates c
            LEFT JOIN timescaledb_information.jobs j ON j.proc_name = 'policy_refresh_continuous_aggregate'
                 AND j.hypertable_schema = c.view_schema AND j.hypertable_name = c.view_name
            LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
            WHERE c.view_name = ANY(@names)
            """, new { names = derivations.Select(d => d.ViewName).ToArray() }, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.View, StringComparer.Ordinal);
        return derivations.Select(d => rows.TryGetValue(d.ViewName, out var r)
            ? string.Create(CultureInfo.InvariantCulture,
                $"derived timeframe {d}: continuous aggregate {d.ViewName} (real-time {(r.MaterializedOnly ? "off" : "on")}, refresh policy {(r.Every is { } every ? $"every {every}" : "missing")}, last run {r.LastRun ?? "not yet"}{(r.LastSuccess is { } at ? $", last success {at:yyyy-MM-dd HH:mm:ss} UTC" : "")})")
            : $"derived timeframe {d}: no continuous aggregate yet, aggregated at read time (run './ktrdr db migrate')").ToList();
    }

    private static async Task RefreshAsync(NpgsqlConnection connection, Derivation d, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            $"CALL refresh_continuous_aggregate('\"{d.ViewName}\"', NULL, NULL)", commandTimeout: 0, cancellationToken: cancellationToken));

    private async Task CreateAsync(NpgsqlConnection connection, Derivation d, CancellationToken cancellationToken)
    {
        // DDL takes no bind parameters; every name and constant here comes from validated timeframe names.
        var bucket = $"time_bucket({d.IntervalLiteral}, time)";
        await connection.ExecuteAsync(new CommandDefinition($"""
            CREATE MATERIALIZED VIEW IF NOT EXISTS "{d.ViewName}"
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT symbol, {bucket} AS time, first(open, time) AS open, max(high) AS high, min(low) AS low,
                   last(close, time) AS close, {VolumeSql} AS volume
            FROM price_data WHERE timeframe = '{d.Source}'
            GROUP BY symbol, {bucket}
            WITH NO DATA
            """, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"ALTER MATERIALIZED VIEW \"{d.ViewName}\" SET (timescaledb.materialized_only = false)", cancellationToken: cancellationToken));

        // The newest bucket is still filling: it stays out of the materialization and real-time aggregation serves it.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT remove_continuous_aggregate_policy(@view::regclass, if_exists => true)", new { view = Quoted(d) }, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT add_continuous_aggregate_policy(@view::regclass, start_offset => NULL, end_offset => @end::interval, schedule_interval => @every::interval)",
            new { view = Quoted(d), end = Seconds(d.Width), every = Seconds(_options.RefreshInterval) }, cancellationToken: cancellationToken));
    }

    private static string Quoted(Derivation d) => $"\"{d.ViewName}\"";

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} seconds");

    private static async Task<bool> IsHypertableAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')", cancellationToken: cancellationToken))
        && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data')", cancellationToken: cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "derived timeframe {Target} from {Source}: continuous aggregate {View}, refreshed every {Every}")]
    private static partial void LogCreated(ILogger logger, string view, string source, string target, TimeSpan every);

    [LoggerMessage(Level = LogLevel.Information, Message = "price_data is a plain table: derived timeframes ({Derivations}) are aggregated at read time")]
    private static partial void LogReadTime(ILogger logger, string derivations);
}
