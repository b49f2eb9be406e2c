using Ktrdr.Backends.Timescale;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The services a one-shot command needs: configuration from the environment (the seed's variables) with the
/// command's own options laid over it, logging to stderr, and the backends. Options are validated before use.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var configuration = BuildConfiguration(overrides);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKtrdrLogging(configuration);
        services.AddKtrdrTelemetry(configuration);
        services.AddKtrdrBackends();
        configure?.Invoke(services, configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        provider.StartTelemetry();
        _ = ConfigurationCheck.Value<StoreOptions>(provider, configuration);
        _ = ConfigurationCheck.Value<DatabaseOptions>(provider, configuration);
        _ = ConfigurationCheck.Value<Backends.Csv.CsvOptions>(provider, configuration);
        _ = ConfigurationCheck.Value<DerivedTimeframesOptions>(provider, configuration);
        return provider;
    }

    public static IConfigurationRoot BuildConfiguration(IReadOnlyDictionary<string, string?>? overrides) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides?.Where(kv => kv.Value is not null) ?? [])
            .Build();
}
