namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Applies the whole schema: the bars' own (<see cref="PriceDataSchema"/>) first, then every other owner's
/// (<see cref="ISchemaPart"/>, such as the migration's tables of Jobs) in the order the host registered them. All
/// versioned scripts share one journal, <c>schemaversions</c>. Idempotent: running it again changes nothing.
/// </summary>
public sealed class SchemaMigrator(PriceDataSchema priceData, IEnumerable<ISchemaPart> parts)
{
    private readonly IReadOnlyList<ISchemaPart> _parts = parts.ToList();

    /// <summary>Applies what has not run yet.</summary>
    /// <returns>The file names of the scripts that ran now, in the order they ran.</returns>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the server's error.</exception>
    /// <exception cref="TimescaleSetupException">TimescaleDB is wanted but the server cannot give it.</exception>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = new List<string>(await priceData.MigrateAsync(cancellationToken));
        foreach (var part in _parts)
        {
            applied.AddRange(await part.MigrateAsync(cancellationToken));
        }

        return applied;
    }

    /// <summary>Scripts that have not run yet. Reads only.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var pending = new List<string>(await priceData.PendingAsync(cancellationToken));
        foreach (var part in _parts)
        {
            pending.AddRange(await part.PendingAsync(cancellationToken));
        }

        return pending;
    }
}
