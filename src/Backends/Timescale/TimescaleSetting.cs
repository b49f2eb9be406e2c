namespace Ktrdr.Backends.Timescale;

/// <summary>Whether <c>price_data</c> uses TimescaleDB: the parsed value of <c>TSDB_ENABLED</c>.</summary>
public enum TimescaleSetting
{
    /// <summary><c>auto</c>: a hypertable when the server offers the extension, else a plain table.</summary>
    Auto,

    /// <summary><c>true</c>: TimescaleDB is required; <c>db migrate</c> fails when the server cannot provide it.</summary>
    Required,

    /// <summary><c>false</c>: a plain PostgreSQL table even when the extension is available.</summary>
    Disabled,
}
