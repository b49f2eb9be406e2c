namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The tables of one owner other than <c>price_data</c> (the migration's bookkeeping, in Jobs), applied by
/// <see cref="SchemaMigrator"/> after the bars' schema. Both methods are idempotent.
/// </summary>
public interface ISchemaPart
{
    /// <summary>Applies what has not run yet.</summary>
    /// <returns>The file names of the scripts that ran now.</returns>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the server's error.</exception>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The file names of the scripts that have not run yet. Reads only.</summary>
    Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken);
}
