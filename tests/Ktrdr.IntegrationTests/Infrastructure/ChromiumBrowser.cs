using Microsoft.Playwright;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>Debian's Chromium under Playwright (never a downloaded browser), and screenshots kept as test artifacts.</summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        Assert.That(File.Exists(Executable), Is.True, "Debian's chromium is missing: apt-get install -y chromium (.ci/run does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking"],
        });
        return new ChromiumBrowser(playwright, browser);
    }

    public Task<IPage> NewPageAsync() =>
        _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

    /// <summary>Saves a full-page screenshot as a test attachment and under tests/artifacts/ (git-ignored).</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, string description)
    {
        var directory = Path.Combine(RepositoryPaths.Root(), "tests", "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, description);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
