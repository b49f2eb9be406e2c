using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Jobs;

/// <summary>How migration jobs run, retry and report.</summary>
public sealed class MigrationOptions
{
    /// <summary>Hangfire retries of a transient import failure (a permanent one is not retried).</summary>
    [ConfigurationKeyName("KTRDR_IMPORT_RETRIES")]
    [Range(0, 20)]
    public int RetryAttempts { get; set; } = 5;

    /// <summary>
    /// Attempts after which an item is failed for good, counted also when a worker died mid-import (a file that
    /// crashes the process must not loop forever and hold up the run).
    /// </summary>
    [ConfigurationKeyName("KTRDR_IMPORT_MAX_ATTEMPTS")]
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Where MIGRATION_RESULTS.md and the JSON results are written (default docs/timeseries-data).</summary>
    [ConfigurationKeyName("KTRDR_REPORT_DIR")]
    public string ReportDir { get; set; } = "docs/timeseries-data";

    /// <summary>Timeframes a migration covers when none are given (empty: every timeframe found).</summary>
    [ConfigurationKeyName("KTRDR_TIMEFRAMES")]
    public string Timeframes { get; set; } = "";

    /// <summary>Cron of the nightly re-verification (UTC).</summary>
    [ConfigurationKeyName("KTRDR_VERIFY_CRON")]
    [Required]
    public string NightlyVerifyCron { get; set; } = "0 2 * * *";

    /// <summary>How many times a failed or mismatching series is re-imported on its own before it is left for a person.</summary>
    [ConfigurationKeyName("KTRDR_HEAL_ATTEMPTS")]
    [Range(0, 10)]
    public int HealAttempts { get; set; } = 2;

    /// <summary>
    /// Most lines an import commits in one transaction. A crash or a redelivery resumes after the last committed batch,
    /// so this bounds the work redone; larger batches cost a little less per row.
    /// </summary>
    [ConfigurationKeyName("KTRDR_IMPORT_BATCH_ROWS")]
    [Range(1000, 100_000_000)]
    public int BatchRows { get; set; } = 1_000_000;

    /// <summary>
    /// Most hypertable chunks an import writes in one transaction. Each chunk written holds locks until the commit, and
    /// a stock server's lock table (<c>max_locks_per_transaction</c> = 64, times the connections) runs out after a few
    /// thousand: 64 chunks leave room for several imports and the server's own jobs at once.
    /// </summary>
    [ConfigurationKeyName("KTRDR_IMPORT_BATCH_CHUNKS")]
    [Range(1, 10_000)]
    public int BatchChunks { get; set; } = 64;

    /// <summary>How often an import job reports its progress (rows).</summary>
    [Range(1000, 100_000_000)]
    public int ProgressEveryRows { get; set; } = 100_000;
}
