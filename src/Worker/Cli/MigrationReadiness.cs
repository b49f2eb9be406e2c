using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The checks before a migration: PostgreSQL selected and reachable, schema applied, hypertable on TimescaleDB, a
/// <c>price_data</c> the migration can write into (read in full, <see cref="PriceDataInspector"/>).
/// </summary>
internal static class MigrationReadiness
{
    /// <returns>Null when ready, else what is wrong and what to do.</returns>
    public static async Task<string?> CheckAsync(IServiceProvider services, TextWriter log, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        var store = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (store.Store != StoreKind.Timescale)
        {
            return $"DB_TYPE is '{store.Type ?? "csv"}': a migration writes to PostgreSQL. Set DB_TYPE=postgresql and DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD";
        }

        var pending = await services.GetRequiredService<SchemaMigrator>().PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            await log.WriteLineAsync($"applying {pending.Count} schema script(s) to {options.Describe()}...");
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }

        var status = await services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(cancellationToken);
        if (status.TimescaleVersion is not null && !status.IsHypertable && status.Setting != TimescaleSetting.Disabled)
        {
            return "TimescaleDB is installed but price_data is not a hypertable: run './ktrdr db migrate'";
        }

        // A table of another shape (the platform's own price_data) is read in full: what blocks writing stops here.
        var shape = await services.GetRequiredService<PriceDataInspector>().ReadAsync(cancellationToken);
        var chunkInterval = services.GetRequiredService<IOptions<TimescaleOptions>>().Value.ChunkInterval;
        var differences = PriceDataDifferences.Of(shape, chunkInterval);
        if (differences.Where(d => d.Blocks).ToList() is { Count: > 0 } blocking)
        {
            return $"price_data cannot take a migration as it is: {string.Join("; ", blocking)}";
        }

        if (differences.Count > 0)
        {
            await log.WriteLineAsync($"note: price_data is not the table this worker creates ({differences.Count} differences, none blocks a migration); './ktrdr db migrate' lists each and what it means");
        }

        if (!shape.HasUniqueSeriesKey)
        {
            await log.WriteLineAsync("note: price_data has no unique key on (symbol, timeframe, time): imports stay idempotent; './ktrdr db migrate --add-unique-key' creates one");
        }

        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
        var writable = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT has_table_privilege('price_data', 'INSERT')", cancellationToken: cancellationToken));
        if (!writable)
        {
            return $"user of {options.Describe()} may not INSERT into price_data: grant it (see docs/environment-configuration.md)";
        }

        await log.WriteLineAsync($"ready: {options.Describe()}, PostgreSQL {status.ServerVersion}, mode {StatusText.Mode(status)}");
        return null;
    }
}
