using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// The legacy store: one <c>{SYMBOL}_{TIMEFRAME}.csv</c> per series in the data directory. Bad lines are left out
/// (the same rule the migration applies), so both stores serve the same bars for the same file.
/// </summary>
public sealed class CsvBackend(IOptions<CsvOptions> options) : IDataBackend
{
    private readonly string _dataDir = options.Value.DataDir;

    /// <inheritdoc />
    public StoreKind Kind => StoreKind.Csv;

    /// <summary>The file that holds <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The symbol or timeframe is not a valid name.</exception>
    public string PathOf(SeriesKey key)
    {
        SeriesNames.EnsureValid(key);
        return Path.Combine(_dataDir, $"{key.Symbol}_{key.Timeframe}.csv");
    }

    /// <summary>Every series file in the data directory, sorted by symbol then timeframe (<see cref="CsvCatalog"/>).</summary>
    public IReadOnlyList<SeriesKey> ListSeries() => new CsvCatalog().ListFiles(_dataDir).Select(f => f.Key).ToList();

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file is not in ascending time order.</exception>
    public async IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            yield break;
        }

        using var file = CsvBarFile.Open(path);
        var last = DateTime.MinValue;
        await foreach (var row in file.ReadAsync(cancellationToken))
        {
            if (row.Kind != CsvRowKind.Bar)
            {
                continue;
            }

            if (row.Bar.Time <= last)
            {
                throw new InvalidDataException(
                    $"{path}: line {row.Line} is not in ascending time order; the CSV store needs sorted files " +
                    "(migrate it to the database, which orders bars, or sort the file)");
            }

            last = row.Bar.Time;
            if (start is { } s && row.Bar.Time < s)
            {
                continue;
            }

            if (end is { } e && row.Bar.Time >= e)
            {
                yield break;
            }

            yield return row.Bar;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> symbols = ListSeries()
            .Where(k => timeframe is null || k.Timeframe == timeframe)
            .Select(k => k.Symbol).Distinct().ToList();
        return Task.FromResult(symbols);
    }

    /// <inheritdoc />
    public async Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        DateTime? first = null;
        var last = default(DateTime);
        long count = 0;
        await foreach (var bar in LoadAsync(key, null, null, cancellationToken))
        {
            first ??= bar.Time;
            last = bar.Time;
            count++;
        }

        return first is null ? null : new DateRange(first.Value, last, count);
    }
}
