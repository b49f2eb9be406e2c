using Microsoft.Extensions.Configuration;

namespace Ktrdr.Backends.Timescale;

/// <summary>TimescaleDB features of <c>price_data</c>, applied by <c>db migrate</c> (see docs/environment-configuration.md).</summary>
public sealed class TimescaleOptions
{
    /// <summary>The values <c>TSDB_ENABLED</c> accepts, case-insensitive.</summary>
    public const string EnabledValues = "'auto' (the default), 'true' or 'false'";

    /// <summary>
    /// <c>auto</c> (default): TimescaleDB when the server offers it; <c>true</c>: require it; <c>false</c>: keep
    /// <c>price_data</c> a plain PostgreSQL table even when the extension is available.
    /// </summary>
    [ConfigurationKeyName("TSDB_ENABLED")]
    public string Enabled { get; set; } = "auto";

    /// <summary>
    /// Chunk time interval of the hypertable; 90 days, chosen from the measurements in
    /// docs/timeseries-data/CHUNK_INTERVAL.md (a tenth of the chunks of 7 days, with the planning time, import time
    /// and compressed size that go with it). Changing it affects only chunks created afterwards.
    /// </summary>
    [ConfigurationKeyName("TSDB_CHUNK_INTERVAL")]
    public TimeSpan ChunkInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Whether chunks are compressed (segment by symbol, timeframe; ordered by time).</summary>
    [ConfigurationKeyName("TSDB_COMPRESSION")]
    public bool Compression { get; set; } = true;

    /// <summary>Chunks older than this are compressed by the policy.</summary>
    [ConfigurationKeyName("TSDB_COMPRESS_AFTER")]
    public TimeSpan CompressAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The parsed <see cref="Enabled"/>; only meaningful once the options have been validated.</summary>
    public TimescaleSetting Setting => Enabled.Trim().ToUpperInvariant() switch
    {
        "TRUE" => TimescaleSetting.Required,
        "FALSE" => TimescaleSetting.Disabled,
        _ => TimescaleSetting.Auto,
    };

    /// <summary>What is wrong with the settings, each message naming the variable, its value and what is valid; empty when valid.</summary>
    public IEnumerable<string> Errors()
    {
        if (Enabled.Trim().ToUpperInvariant() is not ("AUTO" or "TRUE" or "FALSE"))
        {
            yield return $"TSDB_ENABLED='{Enabled}' is not valid: use {EnabledValues}";
        }

        if (ChunkInterval <= TimeSpan.Zero)
        {
            yield return $"TSDB_CHUNK_INTERVAL={ChunkInterval} must be positive (for example 90.00:00:00)";
        }

        if (CompressAfter < TimeSpan.Zero)
        {
            yield return $"TSDB_COMPRESS_AFTER={CompressAfter} must not be negative";
        }
    }
}
