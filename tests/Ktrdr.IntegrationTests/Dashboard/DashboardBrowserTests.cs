using System.Globalization;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Microsoft.Playwright;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// A person's path through the dashboard, in Debian's Chromium driven by Playwright: open the recurring jobs of a
/// running worker, trigger migrate-all, watch the jobs succeed, find the report, and keep a screenshot of the finished
/// run (test attachment and tests/artifacts/).
/// </summary>
[NonParallelizable] // Hangfire in this process (RunningWorker)
public sealed class DashboardBrowserTests
{
    private RunningWorker _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => _worker = await RunningWorker.StartAsync("browser", async data =>
    {
        var writer = new SampleDataWriter();
        await writer.WriteAsync(data, "AAPL", "1d", 600, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(data, "MSFT", "1d", 600, withBadLines: false, CancellationToken.None);
        await writer.WriteAsync(data, "EURUSD", "1h", 2000, withBadLines: false, CancellationToken.None);
    });

    [OneTimeTearDown]
    public async Task Stop() => await _worker.DisposeAsync();

    [Test]
    [CancelAfter(300_000)]
    public async Task Trigger_now_on_migrate_all_runs_a_migration_that_succeeds_and_writes_its_report(CancellationToken cancellationToken)
    {
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(_worker.Url + "/hangfire/recurring");
        await page.Locator("input.js-jobs-list-checkbox[value='migrate-all']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Trigger now" }).ClickAsync();

        var run = await _worker.WaitForFinishedRunAsync(cancellationToken: cancellationToken);
        var items = await _worker.Store.GetItemsAsync(run.Id, CancellationToken.None);

        // What the dashboard shows of the finished run: the imports by symbol and timeframe, and the verification.
        await page.GotoAsync(_worker.Url + "/hangfire/jobs/succeeded");
        await Assertions.Expect(page.GetByText($"Verify run {run.Id}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Import AAPL 1d").First).ToBeVisibleAsync();
        var screenshot = await ChromiumBrowser.ScreenshotAsync(page, "dashboard-succeeded-jobs.png", "The dashboard after migrate-all finished");

        // The Migration page, inside the dashboard's own layout: every file by symbol and timeframe with its progress
        // bar, counts and the accounting line, and the report one click away.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Migration" }).ClickAsync();
        await Assertions.Expect(page.Locator(".navbar").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Recurring Jobs" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".navbar li.active")).ToHaveTextAsync("Migration");
        var aapl = page.Locator("table.ktrdr-items tr", new PageLocatorOptions { HasText = "AAPL" });
        await Assertions.Expect(aapl).ToContainTextAsync("succeeded");
        await Assertions.Expect(aapl).ToContainTextAsync("607"); // rows done: 600 bars and 7 bad lines
        await Assertions.Expect(aapl.Locator(".progress-bar")).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(aapl.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d,]+$")); // rows/s
        await Assertions.Expect(page.Locator("table.ktrdr-items .progress-bar-success")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByText($"Run {run.Id}: 3/3 files done")).ToBeVisibleAsync();
        var accounting = page.Locator(".ktrdr-accounting");
        string Sum(Func<MigrationItem, long?> count) => items.Sum(i => count(i) ?? 0).ToString("N0", CultureInfo.InvariantCulture);
        await Assertions.Expect(accounting).ToContainTextAsync(
            $"read {Sum(i => i.RowsRead)} = inserted {Sum(i => i.Inserted)} + already present {Sum(i => i.AlreadyPresent)} + conflicting {Sum(i => i.Conflicting)} + rejected {Sum(i => i.Rejected)}");
        await Assertions.Expect(accounting).ToContainTextAsync("rejected 7"); // AAPL's bad lines
        await Assertions.Expect(accounting).ToContainTextAsync("adds up");
        await ChromiumBrowser.ScreenshotAsync(page, "dashboard-migration-page.png", "The Migration page after the run");
        await page.Locator("a.ktrdr-report").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("EURUSD");

        var report = Path.Combine(_worker.Reports, "MIGRATION_RESULTS.md");
        Assert.Multiple(() =>
        {
            Assert.That(run.State, Is.EqualTo(RunState.Succeeded), string.Join("; ", items.Select(i => $"{i.Symbol} {i.Timeframe} {i.State} {i.Error} {i.VerifyMessage}")));
            Assert.That(items.Select(i => $"{i.Symbol} {i.Timeframe}"), Is.EquivalentTo(new[] { "AAPL 1d", "EURUSD 1h", "MSFT 1d" }));
            Assert.That(items.Select(i => i.Verified), Is.All.True);
            Assert.That(File.Exists(report), Is.True, $"no report at {report}");
            Assert.That(File.ReadAllText(report), Does.Contain("AAPL").And.Contain("EURUSD"));
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000));
        });
    }
}
