using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The read side of derived timeframes (<see cref="DerivedTimeframesOptions"/>): decides whether a series is stored or
/// derived (a stored series of the timeframe always wins), and reads derived bars in time order, from the continuous
/// aggregate when <c>db migrate</c> created it, else by the equivalent aggregation query (plain PostgreSQL). Both give
/// open = first open, high = max, low = min, close = last close, volume = sum (-1 when any source bar has the -1
/// "no volume" sentinel), per bucket aligned on <see cref="Derivation.Origin"/>.
/// </summary>
public sealed class DerivedSeriesReader(IOptions<DerivedTimeframesOptions> options)
{
    private readonly IReadOnlyList<Derivation> _derivations = options.Value.Derivations;

    /// <summary>The configured derivations, in order of preference.</summary>
    public IReadOnlyList<Derivation> Derivations => _derivations;

    /// <summary>
    /// How <paramref name="key"/> is derived, or null when it is stored (or no configured derivation gives its
    /// timeframe, or none of their source series exists).
    /// </summary>
    public async Task<DerivedPlan?> ResolveAsync(NpgsqlConnection connection, SeriesKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var candidates = _derivations.Where(d => d.Target == key.Timeframe).ToList();
        if (candidates.Count == 0 || await HasBarsAsync(connection, key, cancellationToken))
        {
            return null;
        }

        foreach (var derivation in candidates)
        {
            if (await HasBarsAsync(connection, new SeriesKey(key.Symbol, derivation.Source), cancellationToken))
            {
                return new DerivedPlan(key, derivation, await ViewExistsAsync(connection, derivation, cancellationToken));
            }
        }

        return null;
    }

    /// <summary>The plan that reads <paramref name="derivation"/> for <paramref name="symbol"/> whether or not a stored series wins (verify, compare).</summary>
    public async Task<DerivedPlan> PlanAsync(NpgsqlConnection connection, string symbol, Derivation derivation, CancellationToken cancellationToken) =>
        new(new SeriesKey(symbol, derivation.Target), derivation, await ViewExistsAsync(connection, derivation, cancellationToken));

    /// <summary>The derived bars of <paramref name="plan"/> whose bucket starts within [start, end), in time order.</summary>
    public async IAsyncEnumerable<Bar> LoadAsync(NpgsqlConnection connection, DerivedPlan plan, DateTime start, DateTime end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(plan);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using (var set = new NpgsqlCommand("SELECT set_config('ktrdr.symbol', $1, true), set_config('ktrdr.timeframe', $2, true)", connection, transaction))
        {
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = plan.Key.Symbol, NpgsqlDbType = NpgsqlDbType.Text });
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = plan.Derivation.Source, NpgsqlDbType = NpgsqlDbType.Text });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var copy = await connection.BeginRawBinaryCopyAsync(CopySql(plan, start, end), cancellationToken);
        var reader = new BarCopyReader(copy);
        while (await reader.FillAsync(cancellationToken))
        {
            while (reader.TryRead(out var bar))
            {
                yield return bar;
            }
        }
    }

    /// <summary>First and last bucket and the bar count of <paramref name="plan"/>; null when it has no bars.</summary>
    public static async Task<DateRange?> GetDateRangeAsync(NpgsqlConnection connection, DerivedPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var sql = plan.FromView
            ? $"SELECT min(time), max(time), count(*) FROM \"{plan.Derivation.ViewName}\" WHERE symbol = @Symbol"
            : $"""
              SELECT min(b), max(b), count(*) FROM (
                  SELECT DISTINCT {Bucket(plan.Derivation)} AS b FROM price_data WHERE symbol = @Symbol AND timeframe = @Source) buckets
              """;
        var row = await connection.QuerySingleAsync<(DateTime? First, DateTime? Last, long Count)>(new CommandDefinition(sql,
            new { plan.Key.Symbol, plan.Derivation.Source }, cancellationToken: cancellationToken));
        return row.First is null
            ? null
            : new DateRange(DateTime.SpecifyKind(row.First.Value, DateTimeKind.Utc), DateTime.SpecifyKind(row.Last!.Value, DateTimeKind.Utc), row.Count);
    }

    /// <summary>
    /// The COPY of the plan's bars. Timeframe names are validated (digits and a unit), so the view's name is safe SQL
    /// text; the series is read back from the transaction's settings and the bounds are constants, as in
    /// <see cref="OrderedBarRead"/>. The query form reads the source bars of the whole buckets that start in [start, end).
    /// </summary>
    internal static string CopySql(DerivedPlan plan, DateTime start, DateTime end)
    {
        var d = plan.Derivation;
        return plan.FromView
            ? $"""
              COPY (SELECT time, open, high, low, close, volume FROM "{d.ViewName}"
                    WHERE symbol = current_setting('ktrdr.symbol') AND time >= {PgTimestamp.Literal(start)} AND time < {PgTimestamp.Literal(end)}
                    ORDER BY time) TO STDOUT (FORMAT BINARY)
              """
            : $"""
              COPY (SELECT {Bucket(d)} AS bucket, (array_agg(open ORDER BY time))[1], max(high), min(low),
                           (array_agg(close ORDER BY time DESC))[1], {DerivedAggregates.VolumeSql}
                    FROM price_data
                    WHERE symbol = current_setting('ktrdr.symbol') AND timeframe = current_setting('ktrdr.timeframe')
                      AND time >= {PgTimestamp.Literal(d.Ceiling(start))} AND time < {PgTimestamp.Literal(d.Ceiling(end))}
                    GROUP BY 1 ORDER BY 1) TO STDOUT (FORMAT BINARY)
              """;
    }

    /// <summary>date_bin with time_bucket's default origin: the same buckets as the continuous aggregates.</summary>
    private static string Bucket(Derivation d) => $"date_bin({d.IntervalLiteral}, time, '2000-01-03 00:00:00+00'::timestamptz)";

    private static async Task<bool> HasBarsAsync(NpgsqlConnection connection, SeriesKey key, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM price_data WHERE symbol = @Symbol AND timeframe = @Timeframe)", key, cancellationToken: cancellationToken));

    private static async Task<bool> ViewExistsAsync(NpgsqlConnection connection, Derivation derivation, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass(@name) IS NOT NULL", new { name = $"\"{derivation.ViewName}\"" }, cancellationToken: cancellationToken));
}
