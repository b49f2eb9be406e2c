using System.Reflection;
using DbUp;
using DbUp.Builder;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The embedded <c>*.sql</c> scripts of one owner (an assembly and a resource prefix), each applied once, in name
/// order, in a transaction of its own, and journaled by DbUp in <c>schemaversions</c> under its resource name. Every
/// owner of tables runs its own scripts through this one runner; the resource prefix keeps their names apart in the
/// shared journal.
/// </summary>
public sealed class VersionedScripts
{
    /// <summary>The journal table, shared by every owner.</summary>
    public const string JournalTable = "schemaversions";

    private readonly DatabaseOptions _database;
    private readonly Assembly _assembly;
    private readonly string _prefix;
    private readonly ILogger _logger;

    /// <param name="database">Where the scripts go.</param>
    /// <param name="assembly">The assembly that embeds the scripts.</param>
    /// <param name="prefix">The resource name prefix of the owner's scripts, such as <c>Ktrdr.Jobs.Schema.</c>.</param>
    /// <param name="logger">DbUp's progress goes here.</param>
    public VersionedScripts(DatabaseOptions database, Assembly assembly, string prefix, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(logger);
        (_database, _assembly, _prefix, _logger) = (database, assembly, prefix, logger);
    }

    /// <summary>The journal name of a script: its resource name, the prefix and its file name.</summary>
    public string JournalName(string fileName) => _prefix + fileName;

    /// <summary>The file names of all the owner's scripts, in the order they apply.</summary>
    public IReadOnlyList<string> FileNames() =>
        _assembly.GetManifestResourceNames().Where(Owns).Order(StringComparer.Ordinal).Select(ShortName).ToList();

    /// <summary>Applies the scripts the journal does not list yet. Idempotent.</summary>
    /// <returns>The file names of the scripts that ran now.</returns>
    /// <exception cref="InvalidOperationException">A script failed; the message names it and the server's error.</exception>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        var upgrader = Builder().WithTransactionPerScript().LogTo(new DbUpLog(_logger)).Build();

        // DbUp has no async API; keep its blocking calls off the caller's thread.
        var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"schema migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
        }

        return result.Scripts.Select(s => ShortName(s.Name)).ToList();
    }

    /// <summary>The file names of the scripts the journal does not list yet. Reads only.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        var upgrader = Builder().LogToNowhere().Build();
        var pending = await Task.Run(upgrader.GetScriptsToExecute, cancellationToken);
        return pending.Select(s => ShortName(s.Name)).ToList();
    }

    private UpgradeEngineBuilder Builder() => DeployChanges.To
        .PostgresqlDatabase(_database.BuildConnectionString())
        .WithScriptsEmbeddedInAssembly(_assembly, Owns);

    private bool Owns(string resource) =>
        resource.StartsWith(_prefix, StringComparison.Ordinal) && resource.EndsWith(".sql", StringComparison.Ordinal);

    private string ShortName(string resource) => resource.StartsWith(_prefix, StringComparison.Ordinal) ? resource[_prefix.Length..] : resource;
}
