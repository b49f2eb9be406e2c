using Ktrdr.Backends;

namespace Ktrdr.Tests.Jobs.Import;

/// <summary>Table facts given by the test.</summary>
internal sealed class FixedPriceTable(TimeSpan? chunkInterval, int? symbolLength = null) : IPriceTableFacts
{
    public Task<(int? Symbol, int? Timeframe)> KeyLengthsAsync(CancellationToken cancellationToken) => Task.FromResult<(int?, int?)>((symbolLength, null));

    public Task<TimeSpan?> ChunkIntervalAsync(CancellationToken cancellationToken) => Task.FromResult(chunkInterval);
}
