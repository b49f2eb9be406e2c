using System.Globalization;
using Dapper;
using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Jobs.Verification;

/// <summary>
/// Database-wide checks of <c>price_data</c>, independent of any CSV file: no bar breaks the OHLC rules
/// (low ≤ open, close ≤ high), no volume is negative, no value is NaN or infinite, and on TimescaleDB the hypertable,
/// its chunk interval and its compression are as configured (<see cref="TimescaleOptions"/>). Read-only; one scan of
/// the table plus a few catalogue queries.
/// </summary>
public sealed class IntegrityChecker(NpgsqlDataSource dataSource, TimescaleFeatures features, IOptions<TimescaleOptions> options) : IIntegrityChecks
{
    private const int Examples = 3;

    private const string OhlcViolation = "high < low OR high < open OR high < close OR low > open OR low > close";
    private const string NegativeVolume = "volume < 0";
    private const string NonFinite =
        "'NaN'::float8 IN (open, high, low, close, volume) OR 'Infinity'::float8 IN (abs(open), abs(high), abs(low), abs(close), abs(volume))";

    /// <inheritdoc />
    public async Task<IntegrityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<IntegrityCheck>();
        long total;

        // One connection at a time (and none held across the status queries): some servers serve only one.
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // No JIT for this scan: over compressed chunks TimescaleDB aggregates per chunk, and compiling the filters
            // of every chunk's copy took 30-40 s of a 31 s query (216 chunks; 0.6 s without JIT).
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL jit = off", cancellationToken: cancellationToken));
            var counts = await connection.QuerySingleAsync<(long Total, long Ohlc, long Volume, long NonFinite)>(new CommandDefinition($"""
                SELECT count(*),
                       count(*) FILTER (WHERE {OhlcViolation}),
                       count(*) FILTER (WHERE {NegativeVolume}),
                       count(*) FILTER (WHERE {NonFinite})
                FROM price_data
                """, cancellationToken: cancellationToken));
            total = counts.Total;
            checks.Add(await RowCheckAsync(connection, "OHLC rules (low <= open, close <= high)", counts.Ohlc, OhlcViolation, cancellationToken));
            checks.Add(await RowCheckAsync(connection, "no negative volume", counts.Volume, NegativeVolume, cancellationToken));
            checks.Add(await RowCheckAsync(connection, "no NaN or infinite value", counts.NonFinite, NonFinite, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        checks.Add(await TimescaleCheckAsync(cancellationToken));
        return new IntegrityReport(total, checks);
    }

    private static async Task<IntegrityCheck> RowCheckAsync(NpgsqlConnection connection, string name, long count, string condition,
        CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return new IntegrityCheck(name, true, "0 rows break it");
        }

        // The condition is one of the constants above, never input.
        var rows = await connection.QueryAsync<(string Symbol, string Timeframe, DateTime Time, double Open, double High, double Low, double Close, double Volume)>(
            new CommandDefinition($"""
                SELECT symbol, timeframe, time, open, high, low, close, volume FROM price_data
                WHERE {condition} ORDER BY symbol, timeframe, time LIMIT {Examples}
                """, cancellationToken: cancellationToken));
        var examples = rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Symbol} {r.Timeframe} {Ktrdr.Backends.Csv.CsvTimestamp.Format(DateTime.SpecifyKind(r.Time, DateTimeKind.Utc))} (o {r.Open:R}, h {r.High:R}, l {r.Low:R}, c {r.Close:R}, v {r.Volume:R})"));
        return new IntegrityCheck(name, false, $"{count} row(s) break it; first: {string.Join("; ", examples)}");
    }

    private async Task<IntegrityCheck> TimescaleCheckAsync(CancellationToken cancellationToken)
    {
        const string Name = "TimescaleDB hypertable and compression as configured";
        var status = await features.GetStatusAsync(cancellationToken);
        if (status.Setting == TimescaleSetting.Disabled && !status.IsHypertable)
        {
            return new IntegrityCheck(Name, true, "not applicable: TSDB_ENABLED=false (price_data is a plain table by choice)");
        }

        if (status.TimescaleVersion is null)
        {
            return status.TimescaleAvailable
                ? new IntegrityCheck(Name, false, "the server offers TimescaleDB but it is not installed in this database: run './ktrdr db migrate'")
                : new IntegrityCheck(Name, true, $"not applicable: PostgreSQL {status.ServerVersion} without TimescaleDB (price_data is a plain table)");
        }

        var wanted = options.Value;
        var problems = new List<string>();
        if (!status.IsHypertable)
        {
            problems.Add("price_data is not a hypertable (run './ktrdr db migrate')");
        }
        else
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var interval = await connection.ExecuteScalarAsync<TimeSpan?>(new CommandDefinition(
                "SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data' AND column_name = 'time'",
                cancellationToken: cancellationToken));
            if (interval != wanted.ChunkInterval)
            {
                problems.Add($"chunk interval is {interval?.ToString() ?? "unknown"}, TSDB_CHUNK_INTERVAL says {wanted.ChunkInterval}");
            }

            if (status.CompressionEnabled != wanted.Compression)
            {
                problems.Add($"compression is {OnOff(status.CompressionEnabled)}, TSDB_COMPRESSION says {OnOff(wanted.Compression)}");
            }

            if (status.CompressionPolicy != wanted.Compression)
            {
                problems.Add($"compression policy is {OnOff(status.CompressionPolicy)}, expected {OnOff(wanted.Compression)}");
            }
        }

        return problems.Count == 0
            ? new IntegrityCheck(Name, true, $"TimescaleDB {status.TimescaleVersion}: hypertable, chunk {wanted.ChunkInterval}, compression {OnOff(wanted.Compression)}, policy {OnOff(status.CompressionPolicy)}")
            : new IntegrityCheck(Name, false, $"TimescaleDB {status.TimescaleVersion}: {string.Join("; ", problems)}; fix the settings or run './ktrdr db migrate'");
    }

    private static string OnOff(bool value) => value ? "on" : "off";
}
