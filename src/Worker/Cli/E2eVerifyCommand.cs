using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Verification;
using Ktrdr.Worker.Api;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>e2e-verify</c>: the cutover check. The store in force must be TimescaleDB/PostgreSQL; every series is loaded in
/// full and over its last year through the repository and through the HTTP API (the answers must be identical), the
/// query times are judged against the targets, and the database-wide integrity checks must hold. Exit 0 only when
/// everything passes.
/// </summary>
internal static class E2eVerifyCommand
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    public static Command Create()
    {
        var apiUrl = new Option<string?>("--api-url") { Description = "A running 'serve' to test, with the KTRDR_DASHBOARD_(VIEWER_)USER/PASSWORD credentials when set (default: start the API in this process on a free loopback port)" };
        var command = new Command("e2e-verify", "End-to-end cutover verification: backend, symbols, loads through the repository and the HTTP API, latency, integrity") { apiUrl };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            var overrides = KtrdrCli.Overrides(parse);
            await using var services = KtrdrHost.CreateBuilder(overrides).BuildServices();
            WebApplication? host = null;
            try
            {
                var url = parse.GetValue(apiUrl);
                if (url is null)
                {
                    host = DataApiHost.Build("http://127.0.0.1:0", overrides);
                    await host.StartAsync(ct);
                    url = host.Urls.First();
                    await Console.Error.WriteLineAsync($"e2e-verify: HTTP API started in this process at {url}");
                }
                else if (!Uri.TryCreate(url, UriKind.Absolute, out _))
                {
                    throw new ArgumentException($"--api-url '{url}' is not an absolute URL such as http://127.0.0.1:5080");
                }

                using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
                http.DefaultRequestHeaders.Authorization = ApiCredentials.From(services.GetRequiredService<IOptions<DashboardSecurityOptions>>().Value);
                return await RunAsync(services, http, Console.Out, Console.Error, ct);
            }
            finally
            {
                if (host is not null)
                {
                    await host.StopAsync(CancellationToken.None);
                    await host.DisposeAsync();
                }
            }
        }, Console.Error));
        return command;
    }

    public static async Task<int> RunAsync(IServiceProvider services, HttpClient http, TextWriter output, TextWriter log, CancellationToken ct)
    {
        var repository = services.GetRequiredService<DataRepository>();
        var checks = new TextTable("check", "result", "detail");
        var passed = true;
        void Check(string name, bool ok, string detail)
        {
            passed &= ok;
            checks.Add(name, ok ? "ok" : "FAIL", detail);
        }

        Check("backend in force", repository.Kind == StoreKind.Timescale, repository.Kind == StoreKind.Timescale
            ? $"{repository.Kind.ToName()} ({services.GetRequiredService<DatabaseOptions>().Describe()})"
            : $"{repository.Kind.ToName()}: set DB_TYPE=postgresql and the DB_* connection settings");
        if (!passed)
        {
            await checks.WriteAsync(output);
            await output.WriteLineAsync("e2e-verify: FAILED");
            return CliErrorBoundary.Failed;
        }

        var symbols = await repository.ListSymbolsAsync(null, ct);
        var series = await services.GetRequiredService<TimescaleBackend>().ListSeriesAsync(ct);
        Check("symbols listed", symbols.Count > 0, $"{symbols.Count} symbols, {series.Count} series");
        using var symbolsResponse = await http.GetAsync("api/v1/symbols", ct);
        if (!symbolsResponse.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {symbolsResponse.RequestMessage?.RequestUri} answered {(int)symbolsResponse.StatusCode}",
                null, symbolsResponse.StatusCode);
        }

        var apiSymbols = await symbolsResponse.Content.ReadFromJsonAsync<SymbolList>(ct);
        Check("API symbols = repository symbols", apiSymbols?.Symbols.SequenceEqual(symbols) == true, $"{apiSymbols?.Symbols.Count ?? 0} symbols from GET /api/v1/symbols");

        var loads = new E2eLoads(repository, http);
        var repositoryTimes = new List<TimeSpan>();
        var apiTimes = new List<TimeSpan>();
        var failures = new List<string>();
        long bars = 0;
        if (series.Count > 0)
        {
            // One untimed load first: the first query of a process pays for connections and JIT, not the database.
            await loads.RepositoryAsync(series[0], null, null, ct);
            await loads.ApiJsonAsync(series[0], DateTime.UtcNow, null, ct);
        }

        for (var i = 0; i < series.Count; i++)
        {
            var key = series[i];
            var range = await repository.GetDateRangeAsync(key, ct);
            var full = await loads.RepositoryAsync(key, null, null, ct);
            var apiFull = await loads.ApiCsvAsync(key, null, null, ct);
            var (start, end) = range is null ? (DateTime.UtcNow - Year, DateTime.UtcNow) : (range.Last - Year, range.Last.AddSeconds(1));
            var year = await loads.RepositoryAsync(key, start, end, ct);
            var apiYear = await loads.ApiJsonAsync(key, start, end, ct);
            repositoryTimes.AddRange([full.Elapsed, year.Elapsed]);
            apiTimes.AddRange([apiFull.Elapsed, apiYear.Elapsed]);
            bars += full.Count;
            if (full.Count == 0 || full.Count != range?.Count)
            {
                failures.Add($"{key}: full load returned {full.Count} bars, the series holds {range?.Count ?? 0}");
            }

            if (apiFull.Digest != full.Digest || apiYear.Digest != year.Digest)
            {
                failures.Add($"{key}: the API answered other bars than the repository (full: {apiFull.Count} vs {full.Count}, last year: {apiYear.Count} vs {year.Count})");
            }

            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"e2e-verify: {i + 1}/{series.Count} {key}: full {full.Count} bars {Ms(full.Elapsed)} (API {Ms(apiFull.Elapsed)}), last year {year.Count} bars {Ms(year.Elapsed)} (API {Ms(apiYear.Elapsed)})"));
        }

        Check("full and one-year loads, repository = API", failures.Count == 0 && series.Count > 0,
            failures.Count == 0 ? $"{series.Count} series, {bars:N0} bars, identical through both" : string.Join("; ", failures.Take(5)));
        var repositoryLatency = LatencyStats.Of(repositoryTimes);
        var apiLatency = LatencyStats.Of(apiTimes);
        Check("latency through the repository", repositoryLatency.MeetsTargets, repositoryLatency.ToString());
        Check("latency through the HTTP API", apiLatency.MeetsTargets, apiLatency.ToString());
        var integrity = await services.GetRequiredService<IntegrityChecker>().CheckAsync(ct);
        foreach (var check in integrity.Checks)
        {
            Check(check.Name, check.Passed, check.Detail);
        }

        await checks.WriteAsync(output);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"latency (repository): {repositoryLatency}");
        await output.WriteLineAsync($"latency (HTTP API):   {apiLatency}");
        await output.WriteLineAsync(passed ? "e2e-verify: PASSED" : "e2e-verify: FAILED");
        return passed ? CliErrorBoundary.Ok : CliErrorBoundary.Failed;
    }

    private static string Ms(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:F1} ms");

    private sealed record SymbolList(string? Timeframe, IReadOnlyList<string> Symbols);
}
