namespace Ktrdr.Backends;

/// <summary>A complete store of bars: the seam between readers/writers and a storage technology.</summary>
public interface IDataBackend : IBarReader, IBarWriter, ISeriesCatalog
{
    /// <summary>Which store this is.</summary>
    StoreKind Kind { get; }
}
