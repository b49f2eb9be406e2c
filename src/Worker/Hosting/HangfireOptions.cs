using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Worker.Hosting;

/// <summary>Hangfire storage and server settings.</summary>
public sealed class HangfireOptions : IValidatableObject
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

    /// <summary>
    /// How old one of Hangfire's lock rows (a job's state change, the schedulers) may be before it counts as left by a
    /// dead holder and is removed. Those locks are held for milliseconds; a holder killed with the database (a restart
    /// cuts its connection after it took a lock) leaves its row, and every worker then waits this long for that job
    /// (Hangfire.PostgreSql's default is 10 minutes).
    /// </summary>
    [ConfigurationKeyName("KTRDR_HANGFIRE_LOCK_TIMEOUT")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long <c>migrate</c> rides out a database it cannot reach (a restart, a failover) before it gives up; the run
    /// stays in the database, and a later <c>migrate</c> or <c>serve</c> finishes it.
    /// </summary>
    [ConfigurationKeyName("KTRDR_DB_OUTAGE_DEADLINE")]
    public TimeSpan DbOutageDeadline { get; set; } = TimeSpan.FromMinutes(2);

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

    /// <summary><see cref="RetryDelays"/> as seconds; empty when it is empty.</summary>
    /// <exception cref="FormatException">An entry is not a whole number of seconds (<see cref="Validate"/> reports it first).</exception>
    public int[] RetryDelaySeconds() =>
        RetryDelays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var bad = RetryDelays.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(d => !int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        if (bad is not null)
        {
            yield return new ValidationResult(
                $"KTRDR_RETRY_DELAYS '{RetryDelays}': '{bad}' is not a whole number of seconds; use comma-separated seconds such as 10,30,60",
                [nameof(RetryDelays)]);
        }
    }
}
