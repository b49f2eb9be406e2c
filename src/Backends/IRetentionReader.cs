using Ktrdr.Backends.Timescale;

namespace Ktrdr.Backends;

/// <summary>The retention policy that deletes old bars of the store, if any.</summary>
public interface IRetentionReader
{
    /// <summary>The retention policy on <c>price_data</c> and its cutoff now, or null when there is none. Read-only.</summary>
    Task<RetentionPolicy?> RetentionAsync(CancellationToken cancellationToken);
}
