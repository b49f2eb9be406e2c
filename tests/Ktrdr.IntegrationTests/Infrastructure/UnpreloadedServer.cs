namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's server binaries with TimescaleDB installed but NOT preloaded
/// (no shared_preload_libraries): the server an operator gets after installing the package and forgetting the
/// configuration. Run as the postgres user when the tests run as root, removed on dispose.
/// </summary>
internal sealed class UnpreloadedServer : IAsyncDisposable
{
    private readonly string _binDir;
    private readonly string _dir;

    private UnpreloadedServer(string binDir, string dir, string connectionString)
    {
        _binDir = binDir;
        _dir = dir;
        ConnectionString = connectionString;
    }

    /// <summary>The superuser's connection string (database <c>postgres</c>).</summary>
    public string ConnectionString { get; }

    public static async Task<UnpreloadedServer> StartAsync()
    {
        var binDir = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("no PostgreSQL server binaries under /usr/lib/postgresql");
        Assert.That(Directory.EnumerateFiles(Path.Combine(Path.GetDirectoryName(binDir)!, "lib"), "timescaledb*.so").Any(), Is.True,
            "TimescaleDB must be installed (not preloaded) for this server; './ktrdr test' installs it");
        var dir = Directory.CreateTempSubdirectory("ktrdr-nopreload-").FullName;
        var pwfile = Path.Combine(dir, "pw");
        await File.WriteAllTextAsync(pwfile, "postgres\n");
        if (Environment.UserName == "root")
        {
            await PostgresServer.RunAsync("chown", ["-R", "postgres:", dir], asPostgres: false);
        }

        var data = Path.Combine(dir, "data");
        await PostgresServer.RunAsync(Path.Combine(binDir, "initdb"), ["-D", data, "-U", "postgres", $"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust"], asPostgres: true);
        var port = Ports.Free();
        await PostgresServer.RunAsync(Path.Combine(binDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(dir, "log"), "-w", "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1", "start"], asPostgres: true);
        return new UnpreloadedServer(binDir, dir, $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres");
    }

    /// <summary><c>pg_ctl stop -m fast</c>: every connection is terminated (57P01) and new ones are refused until <see cref="RestartAsync"/>.</summary>
    public Task StopAsync() =>
        PostgresServer.RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop"], asPostgres: true);

    /// <summary>Starts the server stopped by <see cref="StopAsync"/> again, on the same port (<c>postmaster.opts</c> keeps the options).</summary>
    public Task RestartAsync() =>
        PostgresServer.RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-m", "fast", "-w", "restart"], asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        await PostgresServer.RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop"], asPostgres: true);
        Directory.Delete(_dir, recursive: true);
    }
}
