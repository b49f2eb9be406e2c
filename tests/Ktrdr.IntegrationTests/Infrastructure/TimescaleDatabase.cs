using Npgsql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A fixture's own database with the native TimescaleDB extension, on the test server (<see cref="PostgresServer"/>).
/// Fails, never skips, when the server cannot load TimescaleDB: './ktrdr test' builds and preloads it.
/// </summary>
internal static class TimescaleDatabase
{
    public static async Task<string> CreateAsync(string prefix)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(prefix);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS timescaledb", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException(
                $"the test server ({PostgresServer.Source}) cannot load TimescaleDB: {ex.MessageText}. Run './ktrdr test', which " +
                "builds the extension from ../shared/vendor (or KTRDR_TIMESCALEDB_SOURCE) and preloads it, or point KTRDR_TEST_DB " +
                "at a server with shared_preload_libraries = 'timescaledb'", ex);
        }

        return connectionString;
    }
}
