using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Tests.Jobs.Fakes;

/// <summary>A retention policy that is whatever the test says (none by default).</summary>
internal sealed class FixedRetention(DateTime? cutoff = null) : IRetentionReader
{
    public Task<RetentionPolicy?> RetentionAsync(CancellationToken cancellationToken) =>
        Task.FromResult(cutoff is { } c ? new RetentionPolicy(1000, "10 years", c, true) : null);
}
