using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Worker;

/// <summary>
/// One database migrated from sample CSV files by the real CLI (<c>migrate --yes</c>), shared by the tests of the
/// cutover commands. Tests that change it put it back before they end.
/// </summary>
internal static class MigratedStore
{
    /// <summary>The sample files: symbol, timeframe, good bars, with bad lines.</summary>
    public static readonly (string Symbol, string Timeframe, int Rows, bool Bad)[] Files =
    [
        ("AAPL", "1d", 400, true),
        ("MSFT", "1d", 200, false),
        ("EURUSD", "1h", 1000, false),
        ("SPY", "5m", 3000, true),
    ];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;

    public static string ConnectionString { get; private set; } = "";

    public static string Root { get; private set; } = "";

    public static string DataDir => Path.Combine(Root, "data");

    public static string ReportDir => Path.Combine(Root, "report");

    /// <summary>What the migration printed, for the tests of its ids.</summary>
    public static string MigrateOutput { get; private set; } = "";

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_ready)
            {
                return;
            }

            ConnectionString = await PostgresServer.CreateDatabaseAsync("cutover");
            Root = Directory.CreateTempSubdirectory("ktrdr-cutover-").FullName;
            var writer = new SampleDataWriter();
            foreach (var (symbol, timeframe, rows, bad) in Files)
            {
                await writer.WriteAsync(DataDir, symbol, timeframe, rows, bad, CancellationToken.None);
            }

            var result = await CliProcess.RunAsync(Environment("postgresql"), "migrate", "--yes", "--report-dir", ReportDir);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"migrate exited {result.ExitCode}: {result.Stdout}\n{result.Stderr}");
            }

            MigrateOutput = result.Stdout;
            _ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The environment of a CLI run with <c>DB_TYPE</c> set to <paramref name="dbType"/>.</summary>
    public static Dictionary<string, string?> Environment(string dbType, string? dataDir = null) => new()
    {
        ["DB_TYPE"] = dbType,
        ["DB_CONNECTION_STRING"] = ConnectionString,
        ["DATA_DIR"] = dataDir ?? DataDir,
        ["KTRDR_LOG_LEVEL"] = "Warning",
    };

    public static Task<CliProcess.Result> RunAsync(params string[] args) => CliProcess.RunAsync(Environment("postgresql"), args);

    public static void Delete()
    {
        if (Root.Length > 0 && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
