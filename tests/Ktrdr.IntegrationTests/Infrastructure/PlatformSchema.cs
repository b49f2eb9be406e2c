using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The platform's own <c>price_data</c> (its phases 0-2), written here from its definition: varchar symbol and
/// timeframe, source and created_at with defaults, CHECK constraints for the OHLC rules and the volume, no primary key
/// and no unique index, its five indexes, a hypertable of 7-day chunks with a space dimension on symbol (4 partitions),
/// and a 10-year retention policy.
/// </summary>
internal static class PlatformSchema
{
    public const string Ddl = """
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        CREATE TABLE price_data (
            time       timestamptz      NOT NULL,
            symbol     varchar(32)      NOT NULL,
            timeframe  varchar(8)       NOT NULL,
            open       double precision NOT NULL,
            high       double precision NOT NULL,
            low        double precision NOT NULL,
            close      double precision NOT NULL,
            volume     double precision NOT NULL,
            source     varchar(32)      DEFAULT 'ib',
            created_at timestamptz      DEFAULT now(),
            CONSTRAINT chk_high_low CHECK (high >= low),
            CONSTRAINT chk_open_range CHECK (open >= low AND open <= high),
            CONSTRAINT chk_close_range CHECK (close >= low AND close <= high),
            CONSTRAINT chk_volume CHECK (volume >= 0));
        SELECT create_hypertable('price_data', 'time', chunk_time_interval => INTERVAL '7 days', create_default_indexes => false);
        SELECT add_dimension('price_data', 'symbol', number_partitions => 4);
        CREATE INDEX idx_price_data_symbol_timeframe_time ON price_data (symbol, timeframe, time DESC);
        CREATE INDEX idx_price_data_time ON price_data (time DESC);
        CREATE INDEX idx_price_data_symbol ON price_data (symbol);
        CREATE INDEX idx_price_data_source ON price_data (source);
        CREATE INDEX idx_price_data_symbol_timeframe ON price_data (symbol, timeframe);
        SELECT add_retention_policy('price_data', INTERVAL '10 years');
        """;

    /// <summary>Creates the platform's table (and the extension) in the database of <paramref name="connectionString"/>.</summary>
    public static async Task CreateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(Ddl);
    }

    /// <summary>The job id of the retention policy on price_data, or null.</summary>
    public static async Task<int?> RetentionJobAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<int?>(
            "SELECT job_id FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_retention'");
    }

    /// <summary>Writes <c>{symbol}_{timeframe}.csv</c>: <paramref name="count"/> valid bars <paramref name="step"/> apart from <paramref name="start"/>, in the given order.</summary>
    /// <returns>The bars' times.</returns>
    public static async Task<IReadOnlyList<DateTime>> WriteFileAsync(string dir, string symbol, string timeframe, DateTime start, TimeSpan step, int count,
        bool reversed = false)
    {
        Directory.CreateDirectory(dir);
        var times = Enumerable.Range(0, count).Select(i => start + (step * i)).ToList();
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        foreach (var (time, i) in (reversed ? Enumerable.Reverse(times) : times).Select((t, i) => (t, i)))
        {
            var open = 100 + (i % 17);
            text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-ddTHH:mm:ssZ},{open},{open + 2},{open - 1},{open + 1},{1000 + i}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(dir, $"{symbol}_{timeframe}.csv"), text.ToString());
        return times;
    }
}
