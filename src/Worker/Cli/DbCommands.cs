using System.CommandLine;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary><c>db migrate</c> and <c>db status</c>.</summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "Database schema");

        var addUniqueKey = new Option<bool>("--add-unique-key")
        {
            Description = "When price_data has no unique key on (symbol, timeframe, time): check for bars stored twice and, if there are none, create it",
        };
        var migrate = new Command("migrate", "Apply the schema (idempotent) and the TimescaleDB features when available") { addUniqueKey };
        migrate.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var options = services.GetRequiredService<DatabaseOptions>();
            var before = await services.GetRequiredService<PriceDataInspector>().ReadAsync(ct);
            var applied = await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
            await output.WriteLineAsync(applied.Count == 0
                ? $"schema of {options.Describe()} is up to date"
                : $"applied {applied.Count} script(s) to {options.Describe()}: {string.Join(", ", applied)}");

            // The job storage's tables too, so that a worker role without DDL rights finds them (docs/least-privilege.sql).
            await KtrdrHangfireExtensions.InstallSchemaAsync(services, ct);
            await output.WriteLineAsync($"job storage: schema '{services.GetRequiredService<IOptions<HangfireOptions>>().Value.Schema}' is up to date");
            await WriteStatusAsync(services, output, ct);
            return await PlatformTable.AdoptAsync(services, before, parse.GetValue(addUniqueKey), output, ct);
        }));

        var status = new Command("status", "Server version, schema state, TimescaleDB or plain PostgreSQL, and the hypertable's chunks, rows and compression");
        status.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var options = services.GetRequiredService<DatabaseOptions>();
            await output.WriteLineAsync($"database: {options.Describe()}");
            await output.WriteLineAsync(services.GetRequiredService<IOptions<StoreOptions>>().Value.Store == StoreKind.Timescale
                ? "DB_TYPE: postgresql (readers use this database)"
                : "DB_TYPE: csv (readers use the CSV files of DATA_DIR)");
            var pending = await services.GetRequiredService<SchemaMigrator>().PendingAsync(ct);
            await output.WriteLineAsync(pending.Count == 0 ? "schema: up to date" : $"schema: {pending.Count} script(s) pending ({string.Join(", ", pending)}); run './ktrdr db migrate'");
            await WriteStatusAsync(services, output, ct);
            foreach (var line in ShapeText.Lines(await services.GetRequiredService<PriceDataInspector>().ReadAsync(ct)))
            {
                await output.WriteLineAsync(line);
            }

            return pending.Count == 0 ? CliErrorBoundary.Ok : CliErrorBoundary.Failed;
        }));

        db.Subcommands.Add(migrate);
        db.Subcommands.Add(status);
        return db;
    }

    private static async Task WriteStatusAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var status = await services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(ct);
        foreach (var line in StatusText.Lines(status).Concat(await services.GetRequiredService<DerivedAggregates>().StatusAsync(ct)))
        {
            await output.WriteLineAsync(line);
        }
    }
}
