using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Worker.Hosting;

/// <summary>Hangfire storage and server settings.</summary>
public sealed class HangfireOptions
{
    /// <summary>Connection string of the job storage; empty means the data database (DB_*).</summary>
    [ConfigurationKeyName("KTRDR_HANGFIRE_DB")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Whether the worker creates or upgrades Hangfire's schema at start. False for a least-privilege role that may not
    /// run DDL: then <c>./ktrdr db migrate</c>, run by the owner, prepares it (docs/least-privilege.sql).
    /// </summary>
    [ConfigurationKeyName("KTRDR_HANGFIRE_PREPARE_SCHEMA")]
    public bool PrepareSchema { get; set; } = true;

    /// <summary>Schema of Hangfire's tables.</summary>
    [ConfigurationKeyName("KTRDR_HANGFIRE_SCHEMA")]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "KTRDR_HANGFIRE_SCHEMA must be a lower-case SQL identifier")]
    public string Schema { get; set; } = "hangfire";

    /// <summary>
    /// How long a fetched job stays invisible to other workers without a heartbeat. Sliding: a live worker keeps
    /// extending it, so a long import is not taken twice, while the job of a killed worker runs again after this.
    /// </summary>
    [ConfigurationKeyName("KTRDR_INVISIBILITY_TIMEOUT")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Parallel jobs per worker process.</summary>
    [ConfigurationKeyName("KTRDR_WORKERS")]
    [Range(1, 64)]
    public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How often idle workers look for new jobs.</summary>
    [ConfigurationKeyName("KTRDR_POLL_INTERVAL")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether idle workers also wait on PostgreSQL notifications (<c>LISTEN</c>), so that a new job starts at once
    /// instead of at the next poll. Off for a connection pooler in transaction mode, which cannot hold a <c>LISTEN</c>.
    /// </summary>
    [ConfigurationKeyName("KTRDR_LONG_POLLING")]
    public bool LongPolling { get; set; } = true;

    /// <summary>Seconds between retries of a transient import failure, one per retry (the last repeats).</summary>
    [ConfigurationKeyName("KTRDR_RETRY_DELAYS")]
    public string RetryDelays { get; set; } = "10,30,60,120,300";
}
