namespace Ktrdr.Backends;

/// <summary>A complete store of bars: the seam between readers/writers and a storage technology.</summary>
public interface IDataBackend : IBarReader, IBarWriter, ISeriesCatalog
{
    /// <summary><c>csv</c> or <c>timescaledb</c>.</summary>
    string BackendType { get; }
}
