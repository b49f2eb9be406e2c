namespace Ktrdr.Backends.Timescale;

/// <summary>What <c>db status</c> reports.</summary>
/// <param name="ServerVersion">PostgreSQL's <c>server_version</c>.</param>
/// <param name="TimescaleVersion">The installed extension's version, or null when it is not installed.</param>
/// <param name="TimescaleAvailable">
/// Whether the server offers the extension and <c>TSDB_ENABLED</c> lets this worker use it: false under
/// <c>TSDB_ENABLED=false</c>, so that a plain table chosen on purpose is not reported as a missing migration.
/// </param>
/// <param name="IsHypertable">Whether <c>price_data</c> is a hypertable.</param>
/// <param name="CompressionEnabled">Whether compression is set on <c>price_data</c>.</param>
/// <param name="CompressionPolicy">Whether a compression policy job exists for <c>price_data</c>.</param>
/// <param name="Setting">The <c>TSDB_ENABLED</c> in force for this worker.</param>
/// <param name="TimescaleOffered">Whether the server lists the extension in <c>pg_available_extensions</c>, whatever the setting.</param>
/// <param name="Shape">Chunks, rows and sizes of the hypertable; null when <c>price_data</c> is not one.</param>
/// <param name="PlainRows">For a plain table: rows according to the planner's statistics (0 until analysed).</param>
/// <param name="PlainBytes">For a plain table: its size with indexes and TOAST.</param>
public sealed record DatabaseStatus(
    string ServerVersion,
    string? TimescaleVersion,
    bool TimescaleAvailable,
    bool IsHypertable,
    bool CompressionEnabled,
    bool CompressionPolicy,
    TimescaleSetting Setting = TimescaleSetting.Auto,
    bool TimescaleOffered = false,
    HypertableShape? Shape = null,
    long PlainRows = 0,
    long PlainBytes = 0);
