using Ktrdr.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// The Migration page of a run under way, in Chromium: a file still importing shows an estimated progress bar, a failed
/// one its attempts and its error as text (markup from the outside is shown, never run), and the page keeps a
/// screenshot (tests/artifacts/).
/// </summary>
[NonParallelizable] // Hangfire in this process (RunningWorker)
public sealed class MigrationPageBrowserTests
{
    private const string HostileError = "<img src=x onerror=alert(1)> & \"quoted\"";
    private RunningWorker _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => _worker = await RunningWorker.StartAsync("migpage", _ => Task.CompletedTask);

    [OneTimeTearDown]
    public async Task Stop() => await _worker.DisposeAsync();

    [Test]
    public async Task A_run_under_way_shows_progress_bars_attempts_and_errors_as_text_inside_the_dashboard()
    {
        var store = _worker.Store;
        var (runId, items) = await store.CreateRunAsync(_worker.Data, _worker.Reports, ["1d"], [],
            [("AAPL", "1d", Path.Combine(_worker.Data, "AAPL_1d.csv"), 120_000), ("BAD", "1d", Path.Combine(_worker.Data, "BAD_1d.csv"), 500)],
            CancellationToken.None);
        var (importing, failed) = (items.Single(i => i.Symbol == "AAPL"), items.Single(i => i.Symbol == "BAD"));
        await store.BeginAttemptAsync(importing.Id, null, CancellationToken.None);
        await store.ReportProgressAsync(importing.Id, 1_000, CancellationToken.None);
        await store.BeginAttemptAsync(failed.Id, null, CancellationToken.None);
        await store.BeginAttemptAsync(failed.Id, null, CancellationToken.None);
        await store.ReportProgressAsync(failed.Id, 2, CancellationToken.None);
        await store.FailItemAsync(failed.Id, HostileError, final: true, CancellationToken.None);

        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await page.GotoAsync(_worker.Url + "/hangfire/migration");

        var aapl = page.Locator("table.ktrdr-items tr", new PageLocatorOptions { HasText = "AAPL" });
        var bad = page.Locator("table.ktrdr-items tr", new PageLocatorOptions { HasText = "BAD" });
        await Assertions.Expect(page.Locator(".navbar li.active")).ToHaveTextAsync("Migration");
        await Assertions.Expect(page.GetByText($"Run {runId}: 1/2 files done")).ToBeVisibleAsync();
        // No line count is stored before the end: 1,000 rows of a 120,000-byte file at a typical 60 bytes a line.
        await Assertions.Expect(aapl.Locator(".progress-bar")).ToHaveAttributeAsync("aria-valuenow", "50");
        await Assertions.Expect(aapl.Locator(".progress-bar")).ToHaveTextAsync("≈50%");
        await Assertions.Expect(aapl).ToContainTextAsync("processing");
        // A failed file is not drawn full: 2 lines of a 500-byte file at 60 bytes a line.
        await Assertions.Expect(bad.Locator(".progress-bar-danger")).ToHaveAttributeAsync("aria-valuenow", "24");
        await Assertions.Expect(bad.Locator(".ktrdr-failed-at")).ToHaveTextAsync("failed at ≈24%");
        await Assertions.Expect(bad.Locator("td").Nth(6)).ToHaveTextAsync("2"); // attempts
        await Assertions.Expect(bad.Locator("td").Last).ToHaveTextAsync(HostileError);
        await Assertions.Expect(page.Locator(".ktrdr-accounting")).ToContainTextAsync("(0 of 2 files counted)");
        await Assertions.Expect(page.GetByText("Report: written when the verification finishes")).ToBeVisibleAsync();
        await ChromiumBrowser.ScreenshotAsync(page, "dashboard-migration-page-in-progress.png", "The Migration page of a run under way");

        var images = await page.Locator("table.ktrdr-items img").CountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(images, Is.Zero, "the error's markup became an element");
            Assert.That(dialogs, Is.Zero, "the error's script ran");
        });
    }
}
