using Ktrdr.Backends.Telemetry;
using Npgsql;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ktrdr.Worker.Hosting;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry traces: the worker's spans, Hangfire jobs (<see cref="HangfireTracingFilter"/>, one of the host's
    /// job filters in <see cref="KtrdrJobFilters"/>), Npgsql commands and, in <c>serve</c>, HTTP requests. Exported over OTLP
    /// when the standard settings say where (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
    /// grpc or http/protobuf, <c>OTEL_SERVICE_NAME</c>, default <c>ktrdr</c>); off, with no tracer at all, when they are
    /// unset, unless <paramref name="exporters"/> adds an exporter of its own (tests). The tracer provider is a singleton
    /// of the container: disposing the container flushes what is pending.
    /// </summary>
    public static IServiceCollection AddKtrdrTelemetry(this IServiceCollection services, IConfiguration configuration,
        Action<TracerProviderBuilder>? exporters = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])
                   && !string.Equals(configuration["OTEL_TRACES_EXPORTER"], "none", StringComparison.OrdinalIgnoreCase)
                   && !string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase);
        if (!otlp && exporters is null)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "ktrdr"))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new KtrdrSampler())
                    .AddSource(KtrdrActivity.SourceName)
                    .AddNpgsql()
                    .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                        !http.Request.Path.StartsWithSegments("/hangfire/stats") && !http.Request.Path.StartsWithSegments("/health"));
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                exporters?.Invoke(tracing);
            });
        return services;
    }

    /// <summary>Starts the tracer of a container built without a host (the CLI); a host starts it by itself.</summary>
    public static void StartTelemetry(this IServiceProvider services) => _ = services.GetService<TracerProvider>();
}
