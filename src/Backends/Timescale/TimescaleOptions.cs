using Microsoft.Extensions.Configuration;

namespace Ktrdr.Backends.Timescale;

/// <summary>TimescaleDB features of <c>price_data</c>, applied by <c>db migrate</c> when the extension is available.</summary>
public sealed class TimescaleOptions
{
    /// <summary>Chunk time interval of the hypertable.</summary>
    [ConfigurationKeyName("TSDB_CHUNK_INTERVAL")]
    public TimeSpan ChunkInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether chunks are compressed (segment by symbol, timeframe; ordered by time).</summary>
    [ConfigurationKeyName("TSDB_COMPRESSION")]
    public bool Compression { get; set; } = true;

    /// <summary>Chunks older than this are compressed by the policy.</summary>
    [ConfigurationKeyName("TSDB_COMPRESS_AFTER")]
    public TimeSpan CompressAfter { get; set; } = TimeSpan.FromDays(30);
}
