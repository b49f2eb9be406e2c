namespace Ktrdr.Backends;

/// <summary>
/// Which store serves bars: the one name of the store mode in code. The host chooses it (from <c>DB_TYPE</c>) and
/// registers the matching <see cref="IDataBackend"/>; Backends never reads that setting.
/// </summary>
public enum StoreKind
{
    /// <summary>The legacy CSV files of the data directory (<see cref="Csv.CsvBackend"/>).</summary>
    Csv,

    /// <summary><c>price_data</c> in PostgreSQL, a hypertable where TimescaleDB is in use (<see cref="Timescale.TimescaleBackend"/>).</summary>
    Timescale,
}
