using Ktrdr.Backends;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// Says where a series' bars come from: a derived series gets a line on stdout before its bars
/// (<c>AAPL 1h: derived from 1m (continuous aggregate)</c>); a stored one a note on stderr, so that the output of a
/// stored series stays the same under either DB_TYPE.
/// </summary>
internal static class SeriesOriginText
{
    public static async Task WriteAsync(DataRepository repository, SeriesKey key, TextWriter output, CancellationToken ct)
    {
        var origin = await repository.OriginAsync(key, ct);
        if (origin.IsDerived)
        {
            await output.WriteLineAsync($"{key.Symbol} {key.Timeframe}: {origin}");
        }
        else
        {
            await Console.Error.WriteLineAsync("series: stored");
        }
    }
}
