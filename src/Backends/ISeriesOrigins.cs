namespace Ktrdr.Backends;

/// <summary>A store that can serve series it does not hold as such (derived timeframes), and say so.</summary>
public interface ISeriesOrigins
{
    /// <summary>Whether <paramref name="key"/> is served from stored bars or derived ones; stored when neither exists.</summary>
    Task<SeriesOrigin> OriginAsync(SeriesKey key, CancellationToken cancellationToken);
}
