namespace Ktrdr.Backends;

/// <summary>A store readers use, whichever <c>DB_TYPE</c> selects: the seam between readers and a storage technology.</summary>
public interface IDataBackend : IBarReader, ISeriesCatalog
{
    /// <summary>Which store this is.</summary>
    StoreKind Kind { get; }
}
