using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ktrdr.Backends;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;
using Microsoft.AspNetCore.Builder;

namespace Ktrdr.Tests.Worker;

/// <summary>The read API of <c>serve</c> (the real app, with its Hangfire server) against the migrated database.</summary>
[NonParallelizable] // Hangfire in this process (ServeCommand.Build)
public sealed class DataApiTests
{
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private ServiceProvider _services = null!;

    private DataRepository Repository => _services.GetRequiredService<DataRepository>();

    [OneTimeSetUp]
    public async Task StartServe()
    {
        await MigratedStore.EnsureAsync();
        var overrides = MigratedStore.Environment("postgresql");
        overrides["KTRDR_WORKERS"] = "1";
        _app = ServeCommand.Build("http://127.0.0.1:0", overrides);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/") };
        _services = TestServices.Build(MigratedStore.ConnectionString, MigratedStore.DataDir);
    }

    [OneTimeTearDown]
    public async Task StopServe()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task Json_bars_are_the_repositorys_bars_value_for_value()
    {
        var key = new SeriesKey("SPY", "5m");
        var start = new DateTime(2020, 1, 3, 0, 0, 0, DateTimeKind.Utc);
        var expected = await Repository.LoadAsync(key, start, start.AddDays(2), CancellationToken.None).ToListAsync();

        using var response = await _http.GetAsync(new Uri("api/v1/data/SPY/5m?start=2020-01-03&end=2020-01-05T00:00:00Z", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("X-Ktrdr-Backend"), Is.EqualTo(new[] { "timescaledb" }));
        var bars = json.RootElement.GetProperty("bars").EnumerateArray().Select(b => new Bar(
            b.GetProperty("time").GetDateTime().ToUniversalTime(), b.GetProperty("open").GetDouble(), b.GetProperty("high").GetDouble(),
            b.GetProperty("low").GetDouble(), b.GetProperty("close").GetDouble(), b.GetProperty("volume").GetDouble())).ToList();
        Assert.That(expected, Has.Count.EqualTo(576));
        Assert.That(bars, Is.EqualTo(expected));
        Assert.That(json.RootElement.GetProperty("count").GetInt64(), Is.EqualTo(576));
    }

    [Test]
    public async Task Csv_is_served_with_accept_text_csv_and_matches_the_repository_line_for_line()
    {
        var key = new SeriesKey("AAPL", "1d");
        var expected = await Repository.LoadAsync(key, null, null, CancellationToken.None).Select(b => BarText.Line(b)).ToListAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/data/AAPL/1d", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await _http.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(lines[0], Is.EqualTo(BarText.Header));
        Assert.That(lines.Skip(1), Is.EqualTo(expected));
        Assert.That(expected, Has.Count.EqualTo(400));
    }

    [Test]
    public async Task Symbols_are_listed_per_timeframe_as_the_repository_lists_them()
    {
        var all = await GetJsonAsync("api/v1/symbols");
        var daily = await GetJsonAsync("api/v1/symbols?timeframe=1d");

        Assert.That(all.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(await Repository.ListSymbolsAsync(null, CancellationToken.None)));
        Assert.That(daily.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "AAPL", "MSFT" }));
    }

    [Test]
    public async Task An_unknown_symbol_is_a_404_with_a_message_and_an_empty_range_is_an_empty_list()
    {
        var (status, body) = await GetAsync("api/v1/data/NOPE/1d");
        var (emptyStatus, empty) = await GetAsync("api/v1/data/AAPL/1d?start=1990-01-01&end=1991-01-01");

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.Contain("no data for symbol").And.Contain("NOPE"));
        Assert.That(emptyStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(empty, Does.Contain("\"bars\":[]").And.Contain("\"count\":0"));
    }

    [TestCase("api/v1/data/AAPL/1d?start=2020-13-01", "start")]
    [TestCase("api/v1/data/AAPL/1d?end=yesterday", "end")]
    [TestCase("api/v1/data/AAPL/1d?start=2021-01-01&end=2020-01-01", "must be before end")]
    [TestCase("api/v1/data/..%2F..%2Fetc%2Fpasswd/1d", "symbol")]
    [TestCase("api/v1/data/AAPL/1d%2F..%2F..", "timeframe")]
    [TestCase("api/v1/symbols?timeframe=..", "timeframe")]
    public async Task Bad_dates_and_names_are_a_400_that_says_what_is_wrong(string url, string named)
    {
        var (status, body) = await GetAsync(url);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain(named));
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        using var response = await _http.GetAsync(new Uri(url, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var (status, body) = await GetAsync(url);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
