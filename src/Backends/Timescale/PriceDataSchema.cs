using Microsoft.Extensions.Logging;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The bars' own schema: the versioned scripts of Backends (<c>price_data</c>), then the TimescaleDB features when the
/// extension is available (<see cref="TimescaleFeatures"/>) and the continuous aggregates of the derived timeframes
/// (<see cref="DerivedAggregates"/>). Idempotent: running it again changes nothing.
/// </summary>
public sealed class PriceDataSchema(DatabaseOptions database, TimescaleFeatures features, DerivedAggregates derived, ILogger<PriceDataSchema> logger)
{
    /// <summary>The resource prefix of Backends' scripts: their identity in the journal, unchanged since the first release.</summary>
    public const string ResourcePrefix = "Ktrdr.Backends.Timescale.Migrations.";

    private readonly VersionedScripts _scripts = new(database, typeof(PriceDataSchema).Assembly, ResourcePrefix, logger);

    /// <summary>Applies what has not run yet.</summary>
    /// <returns>The file names of the scripts that ran now.</returns>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the server's error.</exception>
    /// <exception cref="TimescaleSetupException">TimescaleDB is wanted but the server cannot give it.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = await _scripts.ApplyAsync(cancellationToken);
        await features.ApplyAsync(cancellationToken);
        await derived.ApplyAsync(cancellationToken);
        return applied;
    }

    /// <summary>The file names of Backends' scripts that have not run yet. Reads only.</summary>
    public Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken) => _scripts.PendingAsync(cancellationToken);
}
