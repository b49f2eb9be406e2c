using Dapper;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>Results of the nightly re-verification in <c>verification_results</c>.</summary>
public sealed class VerificationResultStore(NpgsqlDataSource dataSource)
{
    public async Task AddAsync(SeriesComparison result, long? healRunId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO verification_results (symbol, timeframe, passed, csv_rows, db_rows, message, heal_run_id)
            VALUES (@Symbol, @Timeframe, @passed, @csvRows, @dbRows, @message, @healRunId)
            """, new { result.Key.Symbol, result.Key.Timeframe, passed = result.Matches, csvRows = result.CsvRows, dbRows = result.DbRows, message = StoredText.Escape(result.Summary), healRunId },
            cancellationToken: cancellationToken));
    }

    /// <summary>How many times the series was re-imported on its own within <paramref name="window"/>.</summary>
    public async Task<int> HealCountAsync(string symbol, string timeframe, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT count(*) FROM verification_results
            WHERE symbol = @symbol AND timeframe = @timeframe AND heal_run_id IS NOT NULL AND checked_at > now() - @window
            """, new { symbol, timeframe, window }, cancellationToken: cancellationToken));
    }
}
