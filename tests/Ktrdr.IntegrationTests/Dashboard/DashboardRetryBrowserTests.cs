using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Tests.Jobs.BadInput;
using Ktrdr.Worker.Demo;
using Microsoft.Playwright;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// A failed import seen and retried from the dashboard, in Chromium: the run ends partial with the file's error on the
/// failed jobs page; the person fixes the file and clicks "Requeue jobs"; the item is imported, the run verified
/// again, and it succeeds.
/// </summary>
[NonParallelizable] // Hangfire in this process (RunningWorker)
public sealed class DashboardRetryBrowserTests
{
    private RunningWorker _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => _worker = await RunningWorker.StartAsync("retry", async data =>
    {
        await new SampleDataWriter().WriteAsync(data, "MSFT", "1d", 300, withBadLines: false, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(data, "FIXME_1d.csv"), "timestamp,open,high,low,close\n2024-01-01,10,11,9,10.5\n");
    });

    [OneTimeTearDown]
    public async Task Stop() => await _worker.DisposeAsync();

    [Test]
    [CancelAfter(480_000)]
    public async Task A_failed_import_shows_its_error_and_succeeds_when_requeued_after_the_file_is_fixed(CancellationToken cancellationToken)
    {
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(_worker.Url + "/hangfire/recurring");
        await page.Locator("input.js-jobs-list-checkbox[value='migrate-all']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Trigger now" }).ClickAsync();
        var first = await _worker.WaitForFinishedRunAsync(cancellationToken: cancellationToken);
        Assert.That(first.State, Is.EqualTo(RunState.Partial));

        await page.GotoAsync(_worker.Url + "/hangfire/jobs/failed");
        await Assertions.Expect(page.GetByText("Import FIXME 1d").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("lacks column(s) volume").First).ToBeVisibleAsync();
        await ChromiumBrowser.ScreenshotAsync(page, "dashboard-failed-import.png", "A failed import and its error on the dashboard");
        await page.GotoAsync(_worker.Url + "/hangfire/migration");
        await Assertions.Expect(page.Locator("tr", new PageLocatorOptions { HasText = "FIXME" })).ToContainTextAsync("lacks column(s) volume");
        await page.GotoAsync(_worker.Url + "/hangfire/jobs/failed");

        await File.WriteAllBytesAsync(Path.Combine(_worker.Data, "FIXME_1d.csv"), BadInputCorpus.Good(20), cancellationToken: cancellationToken);
        await page.Locator("input.js-jobs-list-checkbox").First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Requeue jobs" }).ClickAsync();

        var again = await _worker.WaitForFinishedRunAsync(RunState.Succeeded, cancellationToken: cancellationToken);
        var items = await _worker.Store.GetItemsAsync(again.Id, CancellationToken.None);
        await page.GotoAsync(_worker.Url + "/hangfire/jobs/succeeded");
        await Assertions.Expect(page.GetByText("Import FIXME 1d").First).ToBeVisibleAsync();
        await ChromiumBrowser.ScreenshotAsync(page, "dashboard-retried-import.png", "The requeued import succeeded");

        var fixedItem = items.Single(i => i.Symbol == "FIXME");
        Assert.Multiple(() =>
        {
            Assert.That(again.Id, Is.EqualTo(first.Id), "the retry completes the same run");
            Assert.That(fixedItem.State, Is.EqualTo(ItemState.Succeeded), fixedItem.Error);
            Assert.That(fixedItem.Inserted, Is.EqualTo(20));
            Assert.That(items.Select(i => i.Verified), Is.All.True);
            Assert.That(File.ReadAllText(again.ReportPath!), Does.Contain("FIXME"));
        });
    }
}
