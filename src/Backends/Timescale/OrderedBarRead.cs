using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Reads of one series in time order, as the primary key (symbol, timeframe, time) stores them, by binary COPY
/// (<see cref="BarCopyReader"/>). COPY takes no bind parameters, so the series and the bounds are set first, as bind
/// parameters of <c>set_config(..., is_local =&gt; true)</c>, and the COPY statement, a constant, reads them back with
/// <c>current_setting()</c>: no value ever becomes SQL text. Each read runs in one REPEATABLE READ transaction (one
/// snapshot) with <c>enable_sort</c> off for that transaction: the ordered index scan is always available and needs
/// no sort, but once parallel imports have interleaved the table's pages the planner's default costs (random_page_cost
/// = 4, a spinning disk) can rate a bitmap scan plus a sort of every row cheaper, which measures about twice slower.
/// </summary>
internal static class OrderedBarRead
{
    /// <summary>The bars of the series within [from, to).</summary>
    public const string Range = """
        COPY (SELECT time, open, high, low, close, volume FROM price_data
              WHERE symbol = current_setting('ktrdr.symbol') AND timeframe = current_setting('ktrdr.timeframe')
                AND time >= current_setting('ktrdr.from')::timestamptz AND time < current_setting('ktrdr.to')::timestamptz
              ORDER BY time) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>Rows of one <see cref="PageAfter"/>; a shorter page is the last.</summary>
    public const int PageSize = 32_768;

    /// <summary>The next <see cref="PageSize"/> bars of the series after 'from' (excluded).</summary>
    public static readonly string PageAfter = $"""
        COPY (SELECT time, open, high, low, close, volume FROM price_data
              WHERE symbol = current_setting('ktrdr.symbol') AND timeframe = current_setting('ktrdr.timeframe')
                AND time > current_setting('ktrdr.from')::timestamptz
              ORDER BY time LIMIT {PageSize}) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>Starts the read's transaction on <paramref name="connection"/> and sets its series and bounds (null: open); dispose it to end the read.</summary>
    public static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, SeriesKey key, DateTime? from, DateTime? to,
        CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        try
        {
            await using var set = new NpgsqlCommand("""
                SELECT set_config('enable_sort', 'off', true), set_config('ktrdr.symbol', $1, true), set_config('ktrdr.timeframe', $2, true),
                       set_config('ktrdr.from', $3::text, true), set_config('ktrdr.to', $4::text, true)
                """, connection, transaction);
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Symbol, NpgsqlDbType = NpgsqlDbType.Text });
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Timeframe, NpgsqlDbType = NpgsqlDbType.Text });
            set.Parameters.Add(Time(from ?? DateTime.MinValue));
            set.Parameters.Add(Time(to ?? DateTime.MaxValue));
            await set.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves 'from' for the next <see cref="PageAfter"/>.</summary>
    public static async Task SetFromAsync(NpgsqlTransaction transaction, DateTime from, CancellationToken cancellationToken)
    {
        await using var set = new NpgsqlCommand("SELECT set_config('ktrdr.from', $1::text, true)", transaction.Connection, transaction);
        set.Parameters.Add(Time(from));
        await set.ExecuteNonQueryAsync(cancellationToken);
    }

    // DateTime.MinValue and MaxValue go as -infinity and infinity (Npgsql's mapping), so open ends hold every stored bar.
    private static NpgsqlParameter<DateTime> Time(DateTime value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
