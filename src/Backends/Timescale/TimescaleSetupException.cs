using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// TimescaleDB could not be set up for <c>price_data</c>. The message says why and what to do: change the server
/// (preload the library, create the extension as an administrator) or choose plain PostgreSQL with
/// <c>TSDB_ENABLED=false</c>. Derives from <see cref="InvalidOperationException"/> so that callers that report
/// failed operations report it too.
/// </summary>
public sealed class TimescaleSetupException : InvalidOperationException
{
    /// <summary>How to choose plain PostgreSQL instead; every message ends with it.</summary>
    public const string PlainAdvice = "or set TSDB_ENABLED=false to keep price_data a plain PostgreSQL table";

    public TimescaleSetupException()
    {
    }

    public TimescaleSetupException(string message)
        : base(message)
    {
    }

    public TimescaleSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether <paramref name="error"/> is the extension's refusal to load without preloading. TimescaleDB raises it
    /// as FATAL with SQLSTATE XX000 (internal error, shared by unrelated faults), so the text decides.
    /// </summary>
    public static bool IsNotPreloaded(PostgresException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.MessageText.Contains("must be preloaded", StringComparison.Ordinal);
    }

    /// <summary>What to do when the server has TimescaleDB installed but does not preload it.</summary>
    public static string NotPreloadedAdvice(string where) =>
        $"the server of {where} has TimescaleDB installed but does not preload it (extension \"timescaledb\" must be preloaded): " +
        "add shared_preload_libraries = 'timescaledb' to its postgresql.conf and restart the server, " + PlainAdvice;

    /// <summary>The server has the extension but not preloaded.</summary>
    /// <param name="where">The database, without password.</param>
    /// <param name="error">The server's refusal.</param>
    /// <param name="setting">Under <see cref="TimescaleSetting.Disabled"/> the extension is already installed in the database, so
    /// choosing plain PostgreSQL is no way out: the advice says so.</param>
    public static TimescaleSetupException NotPreloaded(string where, PostgresException error, TimescaleSetting setting) => new(
        setting == TimescaleSetting.Disabled
            ? $"the database {where} has the TimescaleDB extension installed but its server does not preload it (extension \"timescaledb\" " +
              "must be preloaded), which breaks every use of the extension even under TSDB_ENABLED=false: add shared_preload_libraries = " +
              "'timescaledb' to the server's postgresql.conf and restart it, or, when price_data is not a hypertable and nothing else uses " +
              "the extension, have an administrator run DROP EXTENSION timescaledb; in that database"
            : NotPreloadedAdvice(where),
        error);

    /// <summary>The role may not create the extension (SQLSTATE 42501).</summary>
    public static TimescaleSetupException NotAllowed(string where, string role, PostgresException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(
            $"the role '{role}' may not create the TimescaleDB extension in {where} ({error.MessageText}): an administrator " +
            "(a superuser or the database's owner) must run CREATE EXTENSION timescaledb; in that database, " + PlainAdvice, error);
    }

    /// <summary>TSDB_ENABLED=true on a server that does not offer the extension at all.</summary>
    public static TimescaleSetupException Unavailable(string where, string serverVersion) => new(
        $"TSDB_ENABLED=true but the server of {where} (PostgreSQL {serverVersion}) does not offer the timescaledb extension: " +
        "install TimescaleDB on the server (and preload it), set TSDB_ENABLED=auto to use plain PostgreSQL where it is missing, " + PlainAdvice);

    /// <summary>TSDB_ENABLED=false where price_data is already a hypertable: no setting turns it back into a plain table.</summary>
    public static TimescaleSetupException AlreadyHypertable(string where) => new(
        $"TSDB_ENABLED=false but price_data in {where} is already a TimescaleDB hypertable, and db migrate does not convert it back: " +
        "keep TSDB_ENABLED=auto for this database, or export it ('./ktrdr data export --to DIR'), migrate the files into a new " +
        "database with TSDB_ENABLED=false, and switch DB_NAME");
}
