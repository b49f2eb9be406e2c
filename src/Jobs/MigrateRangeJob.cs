using Hangfire;
using Ktrdr.Backends.Csv;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs;

/// <summary>
/// Gap filling from the dashboard (the Migration page's form): starts a run of one symbol and timeframe of the
/// configured data directory that imports only the bars of a range. The range is in the job's arguments (so a retry
/// plans the same run) and, once planned, on the run (so its imports and verification read it). It only enqueues, as
/// <see cref="MigrateAllJob"/> does.
/// </summary>
public sealed partial class MigrateRangeJob(MigrationPlanner planner, IOptions<CsvOptions> csv, IOptions<MigrationOptions> migration,
    ILogger<MigrateRangeJob> logger)
{
    /// <summary>Enqueues a gap-filling run of <paramref name="symbol"/> <paramref name="timeframe"/> over <paramref name="range"/>.</summary>
    /// <returns>The Hangfire job id.</returns>
    public static string Enqueue(IBackgroundJobClient jobs, string symbol, string timeframe, ImportRange range)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(range);
        return jobs.Enqueue<MigrateRangeJob>(job => job.RunAsync(symbol, timeframe, range.Start, range.End, CancellationToken.None));
    }

    /// <summary>Plans and starts the run; <paramref name="start"/> is inclusive, <paramref name="end"/> exclusive (UTC).</summary>
    /// <returns>The run id.</returns>
    /// <exception cref="ImportFailedException">The data directory has no such file (not retried: the message says what to do).</exception>
    [JobDisplayName("Migrate {0} {1}, bars from {2} to before {3} (gap filling)")]
    public async Task<long> RunAsync(string symbol, string timeframe, DateTime? start, DateTime? end, CancellationToken cancellationToken)
    {
        var range = new ImportRange(start, end);
        var plan = planner.Plan(new MigrationRequest(csv.Value.DataDir, migration.Value.ReportDir, [timeframe], [symbol]) { Range = range });
        if (plan.Files.Count == 0)
        {
            var why = plan.Skipped.FirstOrDefault(s => s.Name.StartsWith($"{symbol}_{timeframe}.", StringComparison.Ordinal)) is { } skipped
                ? $"{skipped.Name} is skipped: {skipped.Reason}"
                : $"there is no {symbol}_{timeframe}.csv in {csv.Value.DataDir} (DATA_DIR)";
            throw new ImportFailedException($"gap filling of {symbol} {timeframe}: {why}; check the symbol and timeframe and start it again from the Migration page");
        }

        var runId = await planner.StartAsync(plan, cancellationToken);
        LogStarted(runId, symbol, timeframe, range.Describe());
        return runId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: gap filling of {Symbol} {Timeframe}, {Range}")]
    private partial void LogStarted(long runId, string symbol, string timeframe, string range);
}
