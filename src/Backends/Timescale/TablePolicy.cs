namespace Ktrdr.Backends.Timescale;

/// <summary>A TimescaleDB background job that acts on <c>price_data</c> or on a continuous aggregate of it.</summary>
/// <param name="JobId">The job's id (<c>CALL run_job(id)</c> runs it now).</param>
/// <param name="Kind">Its procedure: <c>policy_retention</c>, <c>policy_compression</c>, <c>policy_refresh_continuous_aggregate</c>, ...</param>
/// <param name="Target">The hypertable or continuous aggregate it acts on.</param>
/// <param name="Config">Its configuration (JSON).</param>
/// <param name="Schedule">How often it runs.</param>
/// <param name="Scheduled">Whether the scheduler runs it (false: paused).</param>
public sealed record TablePolicy(int JobId, string Kind, string Target, string? Config, TimeSpan? Schedule, bool Scheduled);
