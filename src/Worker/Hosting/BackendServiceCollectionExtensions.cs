using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Worker.Hosting;

internal static class BackendServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start), the one <see cref="NpgsqlDataSource"/>, both backends, and the repository over the
    /// store <c>DB_TYPE</c> chose (<see cref="StoreOptions"/>): the host decides, Backends never reads that setting.
    /// </summary>
    public static IServiceCollection AddKtrdrBackends(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration("").ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();
        services.AddOptions<DatabaseOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CsvOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TimescaleOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimescaleOptions>, TimescaleOptionsValidator>();
        services.AddOptions<DerivedTimeframesOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DerivedTimeframesOptions>, DerivedTimeframesOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<DatabaseOptions>();
            var builder = new NpgsqlDataSourceBuilder(options.BuildConnectionString());
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton<CsvBackend>();
        services.AddSingleton<TimescaleBackend>();
        services.AddSingleton<TimescaleFeatures>();
        services.AddSingleton<DerivedSeriesReader>();
        services.AddSingleton<DerivedAggregates>();
        services.AddSingleton<PriceDataInspector>();
        services.AddSingleton<IPriceTableFacts>(sp => sp.GetRequiredService<PriceDataInspector>());
        services.AddSingleton<ISeriesBatchWriter>(sp => sp.GetRequiredService<TimescaleBackend>());
        services.AddSingleton<UniqueSeriesKey>();
        services.AddSingleton<PriceDataSchema>();
        services.AddSingleton<SchemaMigrator>();
        services.AddKtrdrSchema();
        services.AddSingleton<IDataBackend>(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value.Store switch
        {
            StoreKind.Timescale => sp.GetRequiredService<TimescaleBackend>(),
            _ => sp.GetRequiredService<CsvBackend>(),
        });
        services.AddSingleton<DataRepository>();

        // The seams the jobs read through: the database's, whichever store DB_TYPE gives the readers.
        services.AddSingleton<ICsvCatalog, CsvCatalog>();
        services.AddSingleton<IBarReader>(sp => sp.GetRequiredService<TimescaleBackend>());
        services.AddSingleton<IStoredSeriesReader>(sp => new TracedStoredSeriesReader(sp.GetRequiredService<TimescaleBackend>()));
        services.AddSingleton<IDerivedBarReader>(sp => sp.GetRequiredService<TimescaleBackend>());
        services.AddSingleton<IRetentionReader>(sp => sp.GetRequiredService<PriceDataInspector>());
        return services;
    }
}
