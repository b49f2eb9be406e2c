using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Makes <c>price_data</c> a compressed hypertable when the server offers TimescaleDB, and reports what is in force.
/// On a PostgreSQL without the extension the table stays a plain table and nothing fails.
/// </summary>
public sealed class TimescaleFeatures(NpgsqlDataSource dataSource, IOptions<TimescaleOptions> options, ILogger<TimescaleFeatures> logger)
{
    private readonly TimescaleOptions _options = options.Value;

    /// <summary>Idempotently creates the extension, the hypertable, the compression settings and policy.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var available = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')", cancellationToken: cancellationToken));
        if (!available)
        {
            logger.LogInformation("TimescaleDB is not available on this server: price_data stays a plain PostgreSQL table");
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS timescaledb", cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT create_hypertable('price_data', 'time', chunk_time_interval => @interval::interval, if_not_exists => true, migrate_data => true)",
            new { interval = Interval(_options.ChunkInterval) }, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT set_chunk_time_interval('price_data', @interval::interval)",
            new { interval = Interval(_options.ChunkInterval) }, cancellationToken: cancellationToken));

        // Compression settings cannot be bound as parameters (ALTER TABLE); the values are fixed column names.
        await connection.ExecuteAsync(new CommandDefinition(
            _options.Compression
                ? "ALTER TABLE price_data SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'time')"
                : "SELECT 1",
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT remove_compression_policy('price_data', if_exists => true)", cancellationToken: cancellationToken));
        if (_options.Compression)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT add_compression_policy('price_data', @after::interval)",
                new { after = Interval(_options.CompressAfter) }, cancellationToken: cancellationToken));
        }

        logger.LogInformation("price_data is a hypertable (chunk {Chunk}, compression {Compression}, compress after {After})",
            _options.ChunkInterval, _options.Compression, _options.CompressAfter);
    }

    /// <summary>Reads the server version and which TimescaleDB features are in force.</summary>
    public async Task<DatabaseStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var server = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: cancellationToken)) ?? "?";
        var available = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')", cancellationToken: cancellationToken));
        var version = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'", cancellationToken: cancellationToken));
        if (version is null)
        {
            return new DatabaseStatus(server, null, available, false, false, false);
        }

        var hypertable = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data')", cancellationToken: cancellationToken));
        var compression = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT coalesce(bool_or(compression_enabled), false) FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data'", cancellationToken: cancellationToken));
        var policy = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_compression')", cancellationToken: cancellationToken));
        return new DatabaseStatus(server, version, available, hypertable, compression, policy);
    }

    private static string Interval(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} seconds");
}
