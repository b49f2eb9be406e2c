using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Ktrdr.Jobs.Schema;

/// <summary>
/// The migration's own tables (runs, items, rejected rows, verification results, checkpoints, quality findings): the
/// scripts of this folder, applied through the shared runner (<see cref="VersionedScripts"/>) after the bars' schema.
/// Until Jobs owned them, Backends embedded these scripts, so a database migrated then lists them in the journal
/// under Backends' old resource names: those entries are renamed to Jobs' names before anything runs, and no script
/// runs twice. Idempotent, and safe when two processes migrate at once (a renamed entry no longer matches).
/// </summary>
public sealed partial class JobsSchema(DatabaseOptions database, NpgsqlDataSource dataSource, ILogger<JobsSchema> logger) : ISchemaPart
{
    /// <summary>The resource prefix of Jobs' scripts: their identity in the journal.</summary>
    public const string ResourcePrefix = "Ktrdr.Jobs.Schema.";

    /// <summary>Where these scripts lived before Jobs owned them; a fixed part of their history, whatever Backends does now.</summary>
    internal const string LegacyPrefix = "Ktrdr.Backends.Timescale.Migrations.";

    private readonly VersionedScripts _scripts = new(database, typeof(JobsSchema).Assembly, ResourcePrefix, logger);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await AdoptLegacyEntriesAsync(cancellationToken);
        return await _scripts.ApplyAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var pending = await _scripts.PendingAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return pending;
        }

        // Read-only (a worker role may only SELECT the journal): a script journaled under its old name has run.
        var legacy = await LegacyEntriesAsync(cancellationToken);
        return pending.Where(name => !legacy.Contains(LegacyPrefix + name)).ToList();
    }

    private async Task<HashSet<string>> LegacyEntriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await JournalExistsAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var command = new NpgsqlCommand($"SELECT scriptname FROM {VersionedScripts.JournalTable} WHERE scriptname = ANY(@legacy)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("legacy", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = LegacyNames() });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private async Task AdoptLegacyEntriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await JournalExistsAsync(connection, cancellationToken))
        {
            return;
        }

        // The entry keeps its id and applied time: the history says when the script ran, only its owner changes.
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE {VersionedScripts.JournalTable} AS j SET scriptname = m.name
            FROM unnest(@legacy, @names) AS m(legacy, name)
            WHERE j.scriptname = m.legacy
              AND NOT EXISTS (SELECT 1 FROM {VersionedScripts.JournalTable} AS k WHERE k.scriptname = m.name)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("legacy", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = LegacyNames() });
        command.Parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = _scripts.FileNames().Select(_scripts.JournalName).ToArray(),
        });
        var renamed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (renamed > 0)
        {
            LogAdopted(logger, renamed);
        }
    }

    private string[] LegacyNames() => _scripts.FileNames().Select(name => LegacyPrefix + name).ToArray();

    private static async Task<bool> JournalExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{VersionedScripts.JournalTable}') IS NOT NULL", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "schema journal: {Count} script(s) of the migration's tables, applied when Backends held them, now listed under Jobs")]
    private static partial void LogAdopted(ILogger logger, int count);
}
