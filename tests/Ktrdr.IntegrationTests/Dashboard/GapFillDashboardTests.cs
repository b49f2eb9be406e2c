using System.Globalization;
using System.Text;
using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// Gap filling from the dashboard, in Chromium against the real worker: the Migration page's form starts a run of one
/// symbol and timeframe over a date range, which imports only that range and shows it; a POST without the page's
/// anti-forgery token or with a bad date starts nothing.
/// </summary>
[NonParallelizable] // Hangfire in this process (RunningWorker)
public sealed class GapFillDashboardTests
{
    private static readonly DateTime FirstDay = DateTime.UtcNow.Date.AddDays(-6);
    private RunningWorker _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker() => _worker = await RunningWorker.StartAsync("gapdash", async data =>
    {
        // Four days of 24 hourly bars.
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (var h = 0; h < 4 * 24; h++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{FirstDay.AddHours(h):yyyy-MM-dd HH:mm:ss}+00:00,10,11,9,10.5,{h}\n");
        }

        await File.WriteAllTextAsync(Path.Combine(data, "GAP_1h.csv"), text.ToString());
    });

    [OneTimeTearDown]
    public async Task Stop() => await _worker.DisposeAsync();

    [Test, Order(1)]
    public async Task A_post_without_the_pages_token_or_with_a_bad_date_starts_nothing()
    {
        // The runs before, not none: this test passes or fails the same whether the form's run came first or not.
        var before = (await _worker.Store.ListRunsAsync(100, CancellationToken.None)).Count;
        using var http = new HttpClient();
        var forged = await http.PostAsync(_worker.Url + "/hangfire/migration/range", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["symbol"] = "GAP", ["timeframe"] = "1h", ["start-date"] = Day(1), ["end-date"] = Day(1),
        }));
        Assert.That((int)forged.StatusCode, Is.EqualTo(403), await forged.Content.ReadAsStringAsync());

        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(_worker.Url + "/hangfire/migration");
        var response = await page.RunAndWaitForResponseAsync(() => FillAsync(page, "GAP", "1h", "2024-02-30", Day(1)),
            r => r.Url.EndsWith("/migration/range", StringComparison.Ordinal) && r.Request.Method == "POST",
            new PageRunAndWaitForResponseOptions { Timeout = 30_000 });
        Assert.That(response.Status, Is.EqualTo(400));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("--start-date '2024-02-30' is not a date");
        Assert.That(await _worker.Store.ListRunsAsync(100, CancellationToken.None), Has.Count.EqualTo(before), "a refused post started a run");
    }

    [Test, Order(2)]
    [CancelAfter(300_000)]
    public async Task The_migration_page_form_imports_one_file_for_a_date_range_and_shows_the_range(CancellationToken cancellationToken)
    {
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(_worker.Url + "/hangfire/migration");
        await FillAsync(page, "GAP", "1h", Day(1), Day(2));
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/hangfire/migration\\?gap-fill-job="), new PageWaitForURLOptions { Timeout = 30_000 });

        var run = await _worker.WaitForFinishedRunAsync(cancellationToken: cancellationToken);
        var item = (await _worker.Store.GetItemsAsync(run.Id, CancellationToken.None)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.State, Is.EqualTo(RunState.Succeeded), item.Error ?? item.VerifyMessage);
            Assert.That((run.Range.Start, run.Range.End), Is.EqualTo(((DateTime?)FirstDay.AddDays(1), (DateTime?)FirstDay.AddDays(3))));
            Assert.That((item.Symbol, item.Timeframe, item.RowsRead, item.Inserted, item.OutsideRange), Is.EqualTo(("GAP", "1h", (long?)96, (long?)48, (long?)48)));
            Assert.That(item.Verified, Is.True, item.VerifyMessage);
        });

        await page.GotoAsync(_worker.Url + "/hangfire/migration");
        await Assertions.Expect(page.Locator(".ktrdr-range")).ToContainTextAsync($"from {Day(1)}T00:00:00Z (inclusive) to {Day(3)}T00:00:00Z (exclusive)");
        await Assertions.Expect(page.Locator(".ktrdr-accounting")).ToContainTextAsync("+ outside the requested range 48");
        await Assertions.Expect(page.Locator(".ktrdr-accounting")).ToContainTextAsync("adds up");
        await ChromiumBrowser.ScreenshotAsync(page, "dashboard-gap-fill.png", "The Migration page after a gap-filling run started from its form");
    }

    [Test]
    public async Task A_read_only_dashboard_shows_no_form_and_refuses_the_post()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("gapdash_ro");
        var root = Directory.CreateTempSubdirectory("ktrdr-gapdash-ro-").FullName;
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Ports.Free()}");
        var settings = WorkerApp.Settings(connectionString, Path.Combine(root, "data"), Path.Combine(root, "report"));
        settings["KTRDR_DASHBOARD_READONLY"] = "true";
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var app = await WorkerApp.StartAsync(url, settings);
        try
        {
            // With the page's anti-forgery cookie and token, as the browser would send them: only the read-only check refuses.
            using var http = new HttpClient(new HttpClientHandler { UseCookies = true });
            var page = await http.GetStringAsync(url + "/hangfire/migration");
            var header = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
            var token = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/hangfire/migration/range")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["symbol"] = "GAP", ["timeframe"] = "1h", ["start-date"] = Day(1), ["end-date"] = Day(1),
                }),
            };
            request.Headers.Add(header, token);
            var post = await http.SendAsync(request);
            // Counted in Hangfire's table, not its queue: the worker in this process would empty the queue at once.
            await using var connection = new NpgsqlConnection(connectionString);
            var rangeJobs = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%MigrateRangeJob%'");
            Assert.Multiple(async () =>
            {
                Assert.That(page, Does.Contain("Migration").And.Not.Contain("ktrdr-gap-fill"));
                Assert.That((header, token), Is.Not.EqualTo(("", "")), "the page carries Hangfire's anti-forgery meta tags");
                Assert.That((int)post.StatusCode, Is.EqualTo(403));
                Assert.That(await post.Content.ReadAsStringAsync(), Does.Contain("read-only access"));
                Assert.That(rangeJobs, Is.Zero, "the read-only POST created a gap-filling job");
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task FillAsync(IPage page, string symbol, string timeframe, string start, string end)
    {
        var form = page.Locator("form.ktrdr-gap-fill");
        await form.Locator("input[name=symbol]").FillAsync(symbol);
        await form.Locator("input[name=timeframe]").FillAsync(timeframe);
        await form.Locator("input[name=start-date]").FillAsync(start);
        await form.Locator("input[name=end-date]").FillAsync(end);
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Import range" }).ClickAsync();
    }

    private static string Day(int index) => FirstDay.AddDays(index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
