using Ktrdr.Backends.Timescale;
using Npgsql;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// After <c>migrate</c> inserted bars: refreshes the continuous aggregates of the derived timeframes, so that bars
/// imported below an aggregate's watermark (older than what it had materialized) are served at once rather than after
/// the next run of its refresh policy. A role that may not refresh (not the aggregates' owner) is told so; the policy
/// still refreshes them.
/// </summary>
internal static class DerivedRefresh
{
    public static async Task RunAsync(IServiceProvider services, long inserted, TextWriter output, CancellationToken ct)
    {
        if (inserted == 0)
        {
            return;
        }

        try
        {
            var refreshed = await services.GetRequiredService<DerivedAggregates>().RefreshAsync(ct);
            if (refreshed.Count > 0)
            {
                await output.WriteLineAsync($"derived timeframes refreshed: {string.Join(", ", refreshed)}");
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await output.WriteLineAsync(
                $"derived timeframes not refreshed ({ex.MessageText}): their refresh policy does it within KTRDR_DERIVED_REFRESH_INTERVAL, or run './ktrdr db migrate' as the owner");
        }
    }
}
