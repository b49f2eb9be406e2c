using Ktrdr.Backends.Csv;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// Which import failures are worth retrying, and what a person should do about the others. Retries are for transient
/// faults (a dropped connection, a deadlock, a server restart); a bad file, a refused value, a missing right or an
/// exhausted server resource fails at once, because the same attempt would fail the same way.
/// </summary>
public static class ImportFailures
{
    /// <summary>True when retrying cannot help.</summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        CsvFileException => true,
        InvalidDataException => true,
        SeriesKeyTooLongException => true,
        // Npgsql counts class 53 (insufficient resources) as transient; here it is not: a full disk or lock table
        // fails every retry the same way, for minutes, while the message could have said what to change.
        PostgresException pg when pg.SqlState.StartsWith("53", StringComparison.Ordinal) => true,
        PostgresException pg => !pg.IsTransient && (pg.SqlState.StartsWith("22", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("42", StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>The item's error text: what failed, in which file, and for a permanent failure what to change.</summary>
    public static string Describe(string filePath, Exception exception, int attempt)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var what = exception switch
        {
            CsvFileException or SeriesKeyTooLongException => exception.Message,
            PostgresException pg => $"{filePath}: database: {pg.MessageText} (SQLSTATE {pg.SqlState}){Advice(pg)}",
            _ => $"{filePath}: {exception.GetType().Name}: {exception.Message}",
        };
        return IsPermanent(exception) ? $"{what} (permanent: fix the cause and re-run)" : $"{what} (attempt {attempt})";
    }

    private static string Advice(PostgresException pg) => pg.SqlState switch
    {
        PostgresErrorCodes.DiskFull =>
            "; the database server's disk is full: free space there (or grow the volume), then retry the failed job from the dashboard",
        PostgresErrorCodes.OutOfMemory when pg.Hint?.Contains("max_locks_per_transaction", StringComparison.Ordinal) == true =>
            "; the server's lock table is full: lower KTRDR_IMPORT_BATCH_CHUNKS (chunks written per transaction), or raise max_locks_per_transaction in postgresql.conf and restart the server",
        PostgresErrorCodes.OutOfMemory =>
            "; the database server ran out of memory: lower KTRDR_WORKERS or KTRDR_IMPORT_BATCH_ROWS, or give the server more memory",
        PostgresErrorCodes.TooManyConnections =>
            "; the server refuses more connections: lower DB_POOL_SIZE + DB_MAX_OVERFLOW or KTRDR_WORKERS, or raise max_connections on the server",
        PostgresErrorCodes.ConfigurationLimitExceeded =>
            "; a server configuration limit was reached: raise the limit the message names in postgresql.conf",
        PostgresErrorCodes.StringDataRightTruncation =>
            "; a value is longer than its column allows (a platform price_data has varchar symbol and timeframe columns): './ktrdr db status' shows the lengths",
        PostgresErrorCodes.InsufficientPrivilege =>
            "; the DB_USER role lacks this right: run './ktrdr db migrate' as the schema's owner, or grant it (docs/least-privilege.sql)",
        _ => "",
    };
}
