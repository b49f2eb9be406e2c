using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Ktrdr.Worker.Hosting;

internal static class LoggingServiceCollectionExtensions
{
    /// <summary>
    /// Serilog behind <see cref="ILogger{T}"/>, written to stderr so that stdout carries only a command's output.
    /// <c>KTRDR_LOG_JSON=1</c> writes compact JSON; <c>KTRDR_LOG_LEVEL</c> sets the minimum level.
    /// </summary>
    public static IServiceCollection AddKtrdrLogging(this IServiceCollection services, IConfiguration configuration)
    {
        var level = Enum.TryParse<LogEventLevel>(configuration["KTRDR_LOG_LEVEL"], ignoreCase: true, out var parsed)
            ? parsed
            : LogEventLevel.Information;
        var json = configuration["KTRDR_LOG_JSON"] is "1" or "true";
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        logger = json
            ? logger.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : logger.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        var serilog = logger.CreateLogger();
        services.AddLogging(builder => builder.ClearProviders().AddSerilog(serilog, dispose: true));
        return services;
    }
}
