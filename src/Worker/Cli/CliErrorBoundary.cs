using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The one place a command's failure becomes a message and an exit code: 2 for a usage or configuration error,
/// 1 for a failure of the work itself, 130 when cancelled. The message says what failed and what to do; the stack
/// trace goes only to the debug log.
/// </summary>
internal static class CliErrorBoundary
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(Func<Task<int>> command, TextWriter error)
    {
        try
        {
            return await command();
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"error: configuration: {string.Join("; ", ex.Failures)}");
            return Usage;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Usage;
        }
        catch (CsvFileException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
        catch (DatabaseOutageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync($"error: database: {Describe(ex)}");
            return Failed;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: HTTP: {ex.Message}; check --api-url and that './ktrdr serve' is running there");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return Failed;
        }
    }

    private static string Describe(NpgsqlException ex) => ex switch
    {
        PostgresException pg when pg.SqlState == PostgresErrorCodes.InvalidPassword =>
            $"{pg.MessageText}; check DB_USER and DB_PASSWORD",
        PostgresException pg when pg.SqlState == PostgresErrorCodes.InvalidCatalogName =>
            $"{pg.MessageText}; create the database or fix DB_NAME",
        PostgresException pg when pg.SqlState == PostgresErrorCodes.UndefinedTable =>
            $"{pg.MessageText}; run './ktrdr db migrate' first",
        PostgresException pg when pg.SqlState == PostgresErrorCodes.InsufficientPrivilege =>
            $"{pg.MessageText}; the DB_USER role lacks this right: run './ktrdr db migrate' as the schema's owner, or grant it (docs/least-privilege.sql)",
        PostgresException pg when TimescaleSetupException.IsNotPreloaded(pg) => TimescaleSetupException.NotPreloadedAdvice("DB_HOST"),
        PostgresException pg => $"{pg.MessageText} (SQLSTATE {pg.SqlState})",
        _ => $"{ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}; check DB_HOST and DB_PORT, and that the server is running",
    };
}
