using System.Diagnostics;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run, found in this order: <c>KTRDR_TEST_DB</c> (an admin connection
/// string), a Testcontainers TimescaleDB container when a Docker engine answers, or a throwaway cluster started from
/// the server binaries on this machine (initdb into a temp dir, a free port, removed at the end). When none can be
/// had the tests fail: they never skip.
/// </summary>
internal static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _admin;
    private static PostgreSqlContainer? _container;
    private static string? _clusterDir;
    private static string? _binDir;

    /// <summary>How the server was obtained, for the test log.</summary>
    public static string Source { get; private set; } = "none";

    public static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _admin ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new empty database on the server, for one fixture.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
#pragma warning disable CA2100 // CREATE DATABASE takes no parameters; the name is generated above, never user input
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_clusterDir is not null && _binDir is not null)
        {
            await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_clusterDir, "data"), "-m", "immediate", "stop"], asPostgres: true);
            Directory.Delete(_clusterDir, recursive: true);
        }
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("KTRDR_TEST_DB") is { Length: > 0 } fromEnv)
        {
            Source = "KTRDR_TEST_DB";
            return fromEnv;
        }

        var failures = new List<string>();
        if (File.Exists("/var/run/docker.sock") || Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 })
        {
            try
            {
                _container = new PostgreSqlBuilder("timescale/timescaledb:2.17.2-pg16").Build();
                await _container.StartAsync();
                Source = "testcontainers";
                return _container.GetConnectionString();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Add($"Testcontainers: {ex.Message}");
            }
        }
        else
        {
            failures.Add("Testcontainers: no Docker engine (no /var/run/docker.sock, DOCKER_HOST unset)");
        }

        try
        {
            return await StartLocalClusterAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            failures.Add($"local cluster: {ex.Message}");
        }

        throw new InvalidOperationException(
            "No PostgreSQL for the integration tests. Set KTRDR_TEST_DB to an admin connection string, run './ktrdr test' " +
            "(which starts a local cluster), or install the 'postgresql' package. Tried: " + string.Join("; ", failures));
    }

    private static async Task<string> StartLocalClusterAsync()
    {
        _binDir = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (_binDir is null)
        {
            throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql");
        }

        _clusterDir = Directory.CreateTempSubdirectory("ktrdr-pg-").FullName;
        var data = Path.Combine(_clusterDir, "data");
        var pwfile = Path.Combine(_clusterDir, "pw");
        await File.WriteAllTextAsync(pwfile, "postgres\n");
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:", _clusterDir], asPostgres: false);
        }

        await RunAsync(Path.Combine(_binDir, "initdb"), ["-D", data, "-U", "postgres", $"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust"], asPostgres: true);
        var port = Ports.Free();
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_clusterDir, "log"), "-w", "-o", $"-p {port} -k {_clusterDir} -c listen_addresses=127.0.0.1", "start"], asPostgres: true);
        Source = $"local cluster {_binDir} on port {port}";
        return $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres";
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres)
    {
        var info = asPostgres && Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args])
            : new ProcessStartInfo(file, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
