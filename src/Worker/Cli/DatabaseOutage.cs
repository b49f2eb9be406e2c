using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// Rides out a database that is briefly unreachable (a restart, a failover) for the polling of <c>migrate</c>: retries
/// with back-off until <paramref name="deadline"/>, saying what it waits for, instead of ending the command (and with
/// it the in-process worker) at the first dropped connection. The jobs retry on their own (Hangfire).
/// </summary>
/// <param name="deadline">KTRDR_DB_OUTAGE_DEADLINE.</param>
/// <param name="log">Where the waiting is reported.</param>
/// <param name="resume">What the operator does when the deadline passes (which run stays, and how to finish it).</param>
internal sealed class DatabaseOutage(TimeSpan deadline, TextWriter log, string resume)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public async Task<T> RideAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        Stopwatch? down = null;
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                var result = await action(cancellationToken);
                if (down is not null)
                {
                    await log.WriteLineAsync($"database is back after {Show(down.Elapsed)}");
                }

                return result;
            }
            catch (NpgsqlException ex) when (IsTransient(ex))
            {
                if (down is null)
                {
                    down = Stopwatch.StartNew();
                    await log.WriteLineAsync($"database unavailable ({Describe(ex)}); retrying for up to {Show(deadline)} (KTRDR_DB_OUTAGE_DEADLINE)");
                }

                if (down.Elapsed >= deadline)
                {
                    throw new DatabaseOutageException(
                        $"the database has been unavailable for {Show(down.Elapsed)} ({Describe(ex)}), longer than KTRDR_DB_OUTAGE_DEADLINE ({Show(deadline)}): {resume}", ex);
                }

                await Task.Delay(delay, cancellationToken);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }

    /// <summary>
    /// A fault that ends with the outage: the server going away (57P01-57P03), a broken or refused connection (08xxx,
    /// or Npgsql's own transient flag). Resource errors (class 53) are not waited out: they need a setting changed.
    /// </summary>
    public static bool IsTransient(NpgsqlException ex) => ex switch
    {
        PostgresException pg when pg.SqlState.StartsWith("53", StringComparison.Ordinal) => false,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.IsTransient,
        _ => ex.IsTransient,
    };

    private static string Describe(NpgsqlException ex) => ex is PostgresException pg
        ? $"{pg.SqlState} {pg.MessageText}"
        : ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message;

    private static string Show(TimeSpan span) => span.TotalSeconds >= 60 && span.Seconds == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F0}s");
}
