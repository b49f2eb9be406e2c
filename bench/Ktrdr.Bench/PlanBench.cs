using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ktrdr.Bench;

/// <summary>
/// The query plan of a range read as the repository runs it: one read through <see cref="DataRepository"/> on a
/// connection that has <c>auto_explain</c> send every plan back as a notice. Loading auto_explain needs a superuser,
/// so this takes its own connection string (the local cluster's <c>postgres</c> user); the timed reads do not.
/// </summary>
internal static class PlanBench
{
    private const string AutoExplain = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 " +
        "-c auto_explain.log_analyze=on -c auto_explain.log_buffers=on -c auto_explain.log_level=notice";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable("BENCH_PLAN_DB");
        if (string.IsNullOrEmpty(connectionString))
        {
            throw new ArgumentException("BENCH_PLAN_DB is not set: give a superuser connection string to the benchmark database (auto_explain needs one)");
        }

        var key = new SeriesKey(args[0], args[1]);
        var start = DateTime.Parse(args[2], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var end = DateTime.Parse(args[3], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var notices = new List<string>();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new NoticeCollector(notices)));
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Options = AutoExplain;
        builder.UseLoggerFactory(loggerFactory);
        await using var dataSource = builder.Build();
        var repository = new DataRepository(new TimescaleBackend(dataSource));
        long rows = 0;
        await foreach (var _ in repository.LoadAsync(key, start, end, cancellationToken))
        {
            rows++;
        }

        await Console.Out.WriteLineAsync($"rows={rows}");
        foreach (var plan in notices.Where(p => p.Contains("FROM price_data", StringComparison.Ordinal)))
        {
            await Console.Out.WriteLineAsync(plan);
        }

        return 0;
    }
}
