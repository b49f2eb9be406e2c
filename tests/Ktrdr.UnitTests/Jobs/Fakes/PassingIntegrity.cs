using Ktrdr.Jobs.Verification;

namespace Ktrdr.Tests.Jobs.Fakes;

/// <summary>Database-wide checks that all pass, counting how often they ran.</summary>
internal sealed class PassingIntegrity(long totalRows) : IIntegrityChecks
{
    public int Runs { get; private set; }

    public Task<IntegrityReport> CheckAsync(CancellationToken cancellationToken)
    {
        Runs++;
        return Task.FromResult(new IntegrityReport(totalRows, [new IntegrityCheck("OHLC rules (low <= open, close <= high)", true, "0 rows break it")]));
    }
}
