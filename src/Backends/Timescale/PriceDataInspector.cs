using Dapper;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Reads what <c>price_data</c> is in the database, in full: columns (types, lengths, defaults), CHECK constraints,
/// unique keys and indexes, hypertable dimensions, compression settings, and the policies and continuous aggregates
/// acting on it. Read-only; every query is on the catalog, none scans the table.
/// </summary>
public sealed class PriceDataInspector(NpgsqlDataSource dataSource) : IRetentionReader, IPriceTableFacts
{
    /// <summary>The shape of <c>price_data</c>, or <see cref="PriceDataShape.Missing"/> when there is no such table.</summary>
    public async Task<PriceDataShape> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT to_regclass('price_data') IS NOT NULL", cancellationToken: cancellationToken)))
        {
            return PriceDataShape.Missing;
        }

        var columns = (await connection.QueryAsync<(string Name, string Type, int? MaxLength, string? Default, bool NotNull)>(new CommandDefinition("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.atttypid IN ('varchar'::regtype, 'bpchar'::regtype) AND a.atttypmod > 4 THEN a.atttypmod - 4 END,
                   pg_get_expr(d.adbin, d.adrelid), a.attnotnull
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = 'price_data'::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, cancellationToken: cancellationToken))).Select(c => new TableColumn(c.Name, c.Type, c.MaxLength, c.Default, c.NotNull)).ToList();
        var checks = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'price_data'::regclass AND contype = 'c' ORDER BY conname",
            cancellationToken: cancellationToken))).ToList();
        var indexes = (await connection.QueryAsync<(string Name, bool IsUnique, string Definition, string[]? Columns, bool Partial)>(new CommandDefinition("""
            SELECT c.relname, ix.indisunique, pg_get_indexdef(ix.indexrelid),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum),
                   ix.indpred IS NOT NULL OR ix.indexprs IS NOT NULL
            FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid
            WHERE ix.indrelid = 'price_data'::regclass ORDER BY c.relname
            """, cancellationToken: cancellationToken))).Select(i => new TableIndex(i.Name, i.IsUnique, i.Definition, i.Columns ?? [], i.Partial)).ToList();
        var shape = new PriceDataShape(true, columns, checks, indexes, [], null, null, [], [], null);
        return await HasTimescaleAsync(connection, cancellationToken) ? await WithTimescaleAsync(connection, shape, cancellationToken) : shape;
    }

    /// <inheritdoc />
    /// <remarks>Null without TimescaleDB too.</remarks>
    public async Task<RetentionPolicy?> RetentionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await HasTimescaleAsync(connection, cancellationToken) ? await RetentionAsync(connection, cancellationToken) : null;
    }

    /// <summary>
    /// The longest symbol and timeframe <c>price_data</c> can hold (its <c>varchar(n)</c> lengths, in characters);
    /// null for an unbounded column (text) or when there is no such table.
    /// </summary>
    public async Task<(int? Symbol, int? Timeframe)> KeyLengthsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var lengths = (await connection.QueryAsync<(string Name, int? Length)>(new CommandDefinition("""
            SELECT attname, CASE WHEN atttypid IN ('varchar'::regtype, 'bpchar'::regtype) AND atttypmod > 4 THEN atttypmod - 4 END
            FROM pg_attribute WHERE attrelid = to_regclass('price_data') AND attname IN ('symbol', 'timeframe') AND NOT attisdropped
            """, cancellationToken: cancellationToken))).ToDictionary(r => r.Name, r => r.Length);
        return (lengths.GetValueOrDefault("symbol"), lengths.GetValueOrDefault("timeframe"));
    }

    /// <summary>The chunk time interval of <c>price_data</c> when it is a hypertable; null for a plain table.</summary>
    public async Task<TimeSpan?> ChunkIntervalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await SeriesBatchWriter.ChunkIntervalAsync(connection, cancellationToken);
    }

    /// <summary>Removes the retention policy of <c>price_data</c> (its job); the bars stay. Idempotent.</summary>
    /// <returns>Whether there was one.</returns>
    public async Task<bool> RemoveRetentionPolicyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await HasTimescaleAsync(connection, cancellationToken) || await RetentionAsync(connection, cancellationToken) is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT remove_retention_policy('price_data', if_exists => true)", cancellationToken: cancellationToken));
        return true;
    }

    private static async Task<PriceDataShape> WithTimescaleAsync(NpgsqlConnection connection, PriceDataShape shape, CancellationToken cancellationToken)
    {
        var dimensions = (await connection.QueryAsync<(string Column, string Kind, TimeSpan? Interval, int? Partitions)>(new CommandDefinition("""
            SELECT column_name, dimension_type, time_interval, num_partitions FROM timescaledb_information.dimensions
            WHERE hypertable_name = 'price_data' ORDER BY dimension_number
            """, cancellationToken: cancellationToken))).Select(d => new HypertableDimension(d.Column, d.Kind, d.Interval, d.Partitions)).ToList();
        var compression = await connection.QuerySingleOrDefaultAsync<(string? SegmentBy, string? OrderBy)>(new CommandDefinition(
            "SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings WHERE hypertable = 'price_data'::regclass",
            cancellationToken: cancellationToken));
        var caggs = (await connection.QueryAsync<(string View, string Materialization)>(new CommandDefinition("""
            SELECT view_schema || '.' || view_name, materialization_hypertable_name FROM timescaledb_information.continuous_aggregates
            WHERE hypertable_name = 'price_data' ORDER BY 1
            """, cancellationToken: cancellationToken))).ToList();

        // Policies on the table itself and on its continuous aggregates (their materialization hypertables).
        var targets = caggs.ToDictionary(c => c.Materialization, c => c.View);
        targets["price_data"] = "price_data";
        var policies = (await connection.QueryAsync<(int JobId, string Kind, string Target, string? Config, TimeSpan? Schedule, bool Scheduled)>(new CommandDefinition("""
            SELECT job_id, proc_name, hypertable_name, config::text, schedule_interval, scheduled FROM timescaledb_information.jobs
            WHERE hypertable_name = ANY(@targets) ORDER BY job_id
            """, new { targets = targets.Keys.ToArray() }, cancellationToken: cancellationToken)))
            .Select(p => new TablePolicy(p.JobId, p.Kind, targets.GetValueOrDefault(p.Target, p.Target), p.Config, p.Schedule, p.Scheduled)).ToList();
        return shape with
        {
            Dimensions = dimensions,
            CompressionSegmentBy = compression.SegmentBy,
            CompressionOrderBy = compression.OrderBy,
            ContinuousAggregates = caggs.Select(c => c.View).ToList(),
            Policies = policies,
            Retention = await RetentionAsync(connection, cancellationToken),
        };
    }

    private static async Task<RetentionPolicy?> RetentionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var row = await connection.QueryFirstOrDefaultAsync<(int JobId, string? DropAfter, string? CreatedBefore, DateTime? Cutoff, bool Scheduled)?>(new CommandDefinition("""
            SELECT job_id, config->>'drop_after', config->>'drop_created_before',
                   CASE WHEN jsonb_typeof(config->'drop_after') = 'string' THEN now() - (config->>'drop_after')::interval END, scheduled
            FROM timescaledb_information.jobs
            WHERE hypertable_name = 'price_data' AND proc_name = 'policy_retention'
            ORDER BY job_id
            """, cancellationToken: cancellationToken));
        return row is { } r
            ? new RetentionPolicy(r.JobId, r.DropAfter ?? r.CreatedBefore ?? "?", r.Cutoff is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null, r.Scheduled)
            : null;
    }

    private static async Task<bool> HasTimescaleAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')", cancellationToken: cancellationToken));
}
