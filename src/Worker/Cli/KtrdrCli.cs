using System.CommandLine;
using Ktrdr.Backends;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>The command tree of <c>./ktrdr</c> and the plumbing every command shares.</summary>
internal static class KtrdrCli
{
    /// <summary><c>--data-dir</c>, shared by the commands that read the CSV store; overrides <c>DATA_DIR</c>.</summary>
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Directory of SYMBOL_TIMEFRAME.csv files (default: DATA_DIR, else ./data)",
        Recursive = true,
    };

    /// <summary><c>--follow-symlinks</c> of <c>migrate</c> and <c>verify</c>.</summary>
    public static readonly Option<bool> FollowSymlinks = new("--follow-symlinks")
    {
        Description = "Also read symbolic links to files outside the data directory (skipped with a warning otherwise)",
    };

    /// <summary><c>--log-json</c>: logs as compact JSON lines on stderr (as <c>KTRDR_LOG_JSON=1</c>).</summary>
    public static readonly Option<bool> LogJson = new("--log-json")
    {
        Description = "Write logs as JSON lines on stderr (default: KTRDR_LOG_JSON)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Ktrdr.Worker: migrate KTRDR's CSV bars into TimescaleDB, verify them, and serve them");
        root.Options.Add(LogJson);
        root.Subcommands.Add(DbCommands.Create());
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.CreateSample());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(Operations.OperationsCommand.Create());
        root.Subcommands.Add(E2eVerifyCommand.Create());
        using var signals = new ShutdownSignals();
        // No process-termination timeout: the commands end on the token themselves (ShutdownSignals says why).
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
    }

    /// <summary>Runs a command that needs only the repository; says on stderr which backend answered.</summary>
    public static Task<int> Run(ParseResult parse, Func<DataRepository, TextWriter, Task<int>> body) =>
        RunWith(parse, async (services, output) =>
        {
            var repository = services.GetRequiredService<DataRepository>();
            await Console.Error.WriteLineAsync($"backend: {repository.Kind.ToName()}");
            return await body(repository, output);
        });

    /// <summary>
    /// Runs a command on the services of the one host (<see cref="KtrdrHost"/>) built from the environment and the
    /// command's options; every setting is validated first, so a bad value fails before any work (exit 2).
    /// </summary>
    public static Task<int> RunWith(ParseResult parse, Func<IServiceProvider, TextWriter, Task<int>> body) =>
        CliErrorBoundary.RunAsync(async () =>
        {
            await using var services = KtrdrHost.CreateBuilder(Overrides(parse)).BuildServices();
            return await body(services, Console.Out);
        }, Console.Error);

    public static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(DataDir) is { } dataDir)
        {
            overrides["DATA_DIR"] = dataDir;
        }

        if (parse.GetValue(LogJson))
        {
            overrides["KTRDR_LOG_JSON"] = "1";
        }

        return overrides;
    }
}
