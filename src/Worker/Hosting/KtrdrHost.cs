using OpenTelemetry.Trace;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The one composition root. <c>serve</c>, the read API of <c>e2e-verify</c>, every CLI command and the tests build
/// their host here, and so share one configuration (the environment, the seed's variables, with the command's own
/// options laid over it), one logging and telemetry setup, and one set of services: backends, migration jobs, the
/// Hangfire client with its job filters, the dashboard's credentials. What differs is only whether the host serves
/// HTTP and runs a Hangfire server. Every options type is validated before any work (<see cref="ConfigurationCheck"/>).
/// </summary>
internal static class KtrdrHost
{
    /// <summary>A host without a web server: the CLI commands and the tests.</summary>
    /// <param name="overrides">Settings laid over the environment (a command's options; a test's database).</param>
    /// <param name="exporters">Trace exporters of a test; null for the OTLP settings alone.</param>
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?>? overrides = null, Action<TracerProviderBuilder>? exporters = null)
    {
        // No defaults: no appsettings.json, no command line, no console logger. A command's configuration is the
        // environment; its arguments are parsed by System.CommandLine and arrive as overrides.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        return builder.AddKtrdr(overrides, server: false, exporters);
    }

    /// <summary>A web host: <c>serve</c> (with a Hangfire <paramref name="server"/>) and the read API alone (without).</summary>
    public static WebApplicationBuilder CreateWebBuilder(IReadOnlyDictionary<string, string?>? overrides, bool server)
    {
        // The slim builder reads the environment as well; the overrides are laid over it below.
        var builder = WebApplication.CreateSlimBuilder();
        return builder.AddKtrdr(overrides, server, exporters: null);
    }

    /// <summary>
    /// Builds a host of <see cref="CreateBuilder"/> and validates its settings. The host is not started (a command's
    /// work runs on the caller's thread and signals); its container is returned, and disposing it disposes the host.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is not valid (exit 2).</exception>
    public static ServiceProvider BuildServices(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var host = builder.Build();

        // The default factory builds a ServiceProvider, which holds the host as a singleton and disposes it with itself.
        var services = (ServiceProvider)host.Services;
        try
        {
            ConfigurationCheck.Validate(services);
            services.StartTelemetry();
            return services;
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds a web host of <see cref="CreateWebBuilder"/> and validates its settings before anything maps endpoints (the
    /// dashboard resolves the job storage, and so binds the Hangfire settings, while it is mapped).
    /// </summary>
    /// <exception cref="ArgumentException">A setting is not valid (exit 2).</exception>
    public static WebApplication BuildValidated(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        try
        {
            ConfigurationCheck.Validate(app.Services);
            return app;
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
    }

    private static TBuilder AddKtrdr<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, string?>? overrides, bool server,
        Action<TracerProviderBuilder>? exporters)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.AddInMemoryCollection(overrides?.Where(kv => kv.Value is not null) ?? []);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_ => new SettingsTypes(builder.Services));
        builder.Services.AddKtrdrLogging(builder.Configuration);
        builder.Services.AddKtrdrTelemetry(builder.Configuration, exporters);
        builder.Services.AddKtrdrBackends().AddKtrdrJobs().AddKtrdrHangfire(server).AddKtrdrDashboardSecurity();
        return builder;
    }
}
