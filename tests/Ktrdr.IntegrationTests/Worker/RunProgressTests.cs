using System.Globalization;
using System.Text.RegularExpressions;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;

namespace Ktrdr.Tests.Worker;

/// <summary>The live progress of <c>migrate</c>, read from a real run in a real database.</summary>
public sealed class RunProgressTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task The_rate_counts_only_rows_done_while_watching_not_rows_done_before(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("progress");
        var (runId, items) = await harness.Store.CreateRunAsync(harness.DataDir, harness.ReportDir, [], [],
            [("RATE", "1d", Path.Combine(harness.DataDir, "RATE_1d.csv"), 1)], CancellationToken.None);
        // A million rows done before the progress starts watching (a re-run's workers began while jobs were enqueued).
        await harness.Store.ReportProgressAsync(items[0].Id, 1_000_000, CancellationToken.None);
        using var log = new StringWriter();
        var watching = RunProgress.WaitAsync(harness.Store, runId, log, cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        await harness.Store.ReportProgressAsync(items[0].Id, 1_000_100, cancellationToken);
        await harness.Store.FinishRunAsync(runId, RunState.Succeeded, "report.md", cancellationToken);
        await watching;

        var last = log.ToString().TrimEnd().Split('\n')[^1];
        var rate = Regex.Match(last, @"([\d,]+) rows/s");
        Assert.That(rate.Success, Is.True, $"no rate in the last progress line: {last}");
        Assert.That(long.Parse(rate.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(100),
            $"100 rows were done in at least a second of watching: {last}");
    }
}
