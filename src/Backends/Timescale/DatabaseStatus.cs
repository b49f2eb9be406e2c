namespace Ktrdr.Backends.Timescale;

/// <summary>What <c>db status</c> reports.</summary>
/// <param name="ServerVersion">PostgreSQL's <c>server_version</c>.</param>
/// <param name="TimescaleVersion">The installed extension's version, or null when it is not installed.</param>
/// <param name="TimescaleAvailable">Whether the server offers the extension at all.</param>
/// <param name="IsHypertable">Whether <c>price_data</c> is a hypertable.</param>
/// <param name="CompressionEnabled">Whether compression is set on <c>price_data</c>.</param>
/// <param name="CompressionPolicy">Whether a compression policy job exists for <c>price_data</c>.</param>
public sealed record DatabaseStatus(
    string ServerVersion,
    string? TimescaleVersion,
    bool TimescaleAvailable,
    bool IsHypertable,
    bool CompressionEnabled,
    bool CompressionPolicy)
{
    /// <summary><c>timescaledb</c> when the table is a hypertable, else <c>postgresql</c> (a plain table).</summary>
    public string Mode => IsHypertable ? "timescaledb" : "postgresql";
}
