using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Makes <c>price_data</c> a compressed hypertable as <c>TSDB_ENABLED</c> says, and reports what is in force.
/// Under <c>auto</c> a PostgreSQL without the extension keeps a plain table and nothing fails; under <c>true</c> that
/// fails; under <c>false</c> the table stays plain even when the extension is available.
/// </summary>
public sealed class TimescaleFeatures(
    NpgsqlDataSource dataSource, DatabaseOptions database, IOptions<TimescaleOptions> options, ILogger<TimescaleFeatures> logger)
{
    private readonly TimescaleOptions _options = options.Value;

    /// <summary>Idempotently creates the extension, the hypertable, the compression settings and policy.</summary>
    /// <exception cref="TimescaleSetupException">
    /// TimescaleDB is wanted but the server cannot give it (not offered under <c>TSDB_ENABLED=true</c>, not preloaded,
    /// the role may not create the extension), or <c>TSDB_ENABLED=false</c> meets a hypertable; the message says what to do.
    /// </exception>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            if (_options.Setting == TimescaleSetting.Disabled)
            {
                if (await IsHypertableAsync(connection, cancellationToken))
                {
                    throw TimescaleSetupException.AlreadyHypertable(database.Describe());
                }

                logger.LogInformation("TSDB_ENABLED=false: price_data stays a plain PostgreSQL table");
                return;
            }

            if (!await IsOfferedAsync(connection, cancellationToken))
            {
                if (_options.Setting == TimescaleSetting.Required)
                {
                    throw TimescaleSetupException.Unavailable(database.Describe(), await ServerVersionAsync(connection, cancellationToken));
                }

                logger.LogInformation("TimescaleDB is not available on this server: price_data stays a plain PostgreSQL table");
                return;
            }

            await CreateExtensionAsync(connection, cancellationToken);
            await MakeHypertableAsync(connection, cancellationToken);
        }
        catch (PostgresException ex) when (TimescaleSetupException.IsNotPreloaded(ex))
        {
            throw TimescaleSetupException.NotPreloaded(database.Describe(), ex, _options.Setting);
        }

        logger.LogInformation("price_data is a hypertable (chunk {Chunk}, compression {Compression}, compress after {After})",
            _options.ChunkInterval, _options.Compression, _options.CompressAfter);
    }

    /// <summary>Reads the server version, which TimescaleDB features are in force, and the hypertable's shape.</summary>
    /// <exception cref="TimescaleSetupException">The extension is installed in the database but the server does not preload it.</exception>
    public async Task<DatabaseStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var server = await ServerVersionAsync(connection, cancellationToken);
            var offered = await IsOfferedAsync(connection, cancellationToken);
            var usable = offered && _options.Setting != TimescaleSetting.Disabled;
            var version = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'", cancellationToken: cancellationToken));
            if (version is null || !await IsHypertableAsync(connection, cancellationToken))
            {
                var (rows, bytes) = await PlainTableSizeAsync(connection, cancellationToken);
                return new DatabaseStatus(server, version, usable, false, false, false, _options.Setting, offered, null, rows, bytes);
            }

            var compression = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT coalesce(bool_or(compression_enabled), false) FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data'", cancellationToken: cancellationToken));
            var policy = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_compression')", cancellationToken: cancellationToken));
            var shape = await ShapeAsync(connection, compression, cancellationToken);
            return new DatabaseStatus(server, version, usable, true, compression, policy, _options.Setting, offered, shape);
        }
        catch (PostgresException ex) when (TimescaleSetupException.IsNotPreloaded(ex))
        {
            throw TimescaleSetupException.NotPreloaded(database.Describe(), ex, _options.Setting);
        }
    }

    private async Task CreateExtensionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS timescaledb", cancellationToken: cancellationToken));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw TimescaleSetupException.NotAllowed(database.Describe(), connection.UserName ?? "?", ex);
        }
    }

    private async Task MakeHypertableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT create_hypertable('price_data', 'time', chunk_time_interval => @interval::interval, if_not_exists => true, migrate_data => true)",
            new { interval = Interval(_options.ChunkInterval) }, cancellationToken: cancellationToken));

        // Affects only chunks created from now on; CHUNK_INTERVAL.md says how to re-chunk existing data.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT set_chunk_time_interval('price_data', @interval::interval)",
            new { interval = Interval(_options.ChunkInterval) }, cancellationToken: cancellationToken));

        // Compression settings cannot be bound as parameters (ALTER TABLE); the values are fixed column names.
        if (_options.Compression)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "ALTER TABLE price_data SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'time')",
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT remove_compression_policy('price_data', if_exists => true)", cancellationToken: cancellationToken));
        if (_options.Compression)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT add_compression_policy('price_data', @after::interval)",
                new { after = Interval(_options.CompressAfter) }, cancellationToken: cancellationToken));
        }
    }

    private static async Task<HypertableShape> ShapeAsync(NpgsqlConnection connection, bool compression, CancellationToken cancellationToken)
    {
        var chunks = await connection.QuerySingleAsync<(TimeSpan? Interval, long Chunks, long Compressed, DateTime? First, DateTime? Last)>(new CommandDefinition("""
            SELECT (SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data' AND column_name = 'time'),
                   count(*), count(*) FILTER (WHERE is_compressed), min(range_start), max(range_end)
            FROM timescaledb_information.chunks WHERE hypertable_name = 'price_data'
            """, cancellationToken: cancellationToken));

        // approximate_row_count reads the planner's statistics (compressed chunks included): no scan of the table.
        var size = await connection.QuerySingleAsync<(long Rows, long Bytes)>(new CommandDefinition(
            "SELECT approximate_row_count('price_data'), hypertable_size('price_data')", cancellationToken: cancellationToken));
        var (before, after) = compression
            ? await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                "SELECT coalesce(sum(before_compression_total_bytes), 0)::bigint, coalesce(sum(after_compression_total_bytes), 0)::bigint FROM hypertable_compression_stats('price_data')",
                cancellationToken: cancellationToken))
            : (0L, 0L);
        return new HypertableShape(chunks.Interval, chunks.Chunks, chunks.Compressed, Math.Max(0, size.Rows), size.Bytes, before, after,
            chunks.First, chunks.Last);
    }

    private static async Task<(long Rows, long Bytes)> PlainTableSizeAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<(long, long)>(new CommandDefinition(
            "SELECT greatest(reltuples, 0)::bigint, pg_total_relation_size(oid) FROM pg_class WHERE oid = to_regclass('price_data')",
            cancellationToken: cancellationToken));

    private static async Task<bool> IsOfferedAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')", cancellationToken: cancellationToken));

    private static async Task<string> ServerVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: cancellationToken)) ?? "?";

    /// <summary>Whether price_data is a hypertable; false without the extension (its catalogue does not exist then).</summary>
    private static async Task<bool> IsHypertableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var installed = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')", cancellationToken: cancellationToken));
        return installed && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data')", cancellationToken: cancellationToken));
    }

    private static string Interval(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} seconds");
}
