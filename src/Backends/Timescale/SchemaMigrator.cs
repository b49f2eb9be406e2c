using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Applies the versioned SQL scripts (DbUp, journal in <c>schemaversions</c>) and then the TimescaleDB features
/// when the extension is available, and the continuous aggregates of the derived timeframes
/// (<see cref="DerivedAggregates"/>). Idempotent: running it again changes nothing.
/// </summary>
public sealed class SchemaMigrator(DatabaseOptions database, TimescaleFeatures features, DerivedAggregates derived, ILogger<SchemaMigrator> logger)
{
    /// <summary>Applies what has not run yet.</summary>
    /// <returns>The names of the scripts that ran now.</returns>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the server's error.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(database.BuildConnectionString())
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.EndsWith(".sql", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();

        // DbUp has no async API; keep its blocking calls off the caller's thread.
        var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"schema migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
        }

        await features.ApplyAsync(cancellationToken);
        await derived.ApplyAsync(cancellationToken);
        return result.Scripts.Select(s => ShortName(s.Name)).ToList();
    }

    /// <summary>Scripts that have not run yet.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(database.BuildConnectionString())
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.EndsWith(".sql", StringComparison.Ordinal))
            .LogToNowhere()
            .Build();
        var pending = await Task.Run(upgrader.GetScriptsToExecute, cancellationToken);
        return pending.Select(s => ShortName(s.Name)).ToList();
    }

    private static string ShortName(string resource)
    {
        var parts = resource.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : resource;
    }

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogDebug(string format, params object[] args) => logger.LogDebug("{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogInformation(string format, params object[] args) => logger.LogDebug("{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogWarning(string format, params object[] args) => logger.LogWarning("{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(string format, params object[] args) => logger.LogError("{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{DbUp}", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
