using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The loads <c>e2e-verify</c> times: one series through the repository, and through the HTTP API as CSV or JSON.
/// Each returns the digest of what came back and how long it took, reading every bar to the end.
/// </summary>
internal sealed class E2eLoads(DataRepository repository, HttpClient api)
{
    public sealed record Load(string Digest, long Count, TimeSpan Elapsed);

    public Task<Load> RepositoryAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken ct) =>
        MeasureAsync(async digest =>
        {
            await foreach (var bar in repository.LoadAsync(key, start, end, ct))
            {
                digest.Add(bar);
            }
        });

    /// <summary>GET as text/csv; the lines are hashed as they arrive.</summary>
    /// <exception cref="HttpRequestException">The API answered with an error status.</exception>
    public Task<Load> ApiCsvAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken ct) => MeasureAsync(async digest =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(key, start, end));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await SendAsync(request, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        var header = await reader.ReadLineAsync(ct);
        if (header != BarText.Header)
        {
            throw new InvalidDataException($"{Url(key, start, end)}: CSV header is '{header}', expected '{BarText.Header}'");
        }

        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !CsvTimestamp.TryParse(line[..comma], out var time))
            {
                throw new InvalidDataException($"{Url(key, start, end)}: line '{line}' is not a bar");
            }

            digest.AddLine(line, time);
        }
    });

    /// <summary>GET as JSON; every bar is read back into numbers before it is hashed.</summary>
    /// <exception cref="HttpRequestException">The API answered with an error status.</exception>
    public Task<Load> ApiJsonAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken ct) => MeasureAsync(async digest =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(key, start, end));
        using var response = await SendAsync(request, ct);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        foreach (var bar in document.RootElement.GetProperty("bars").EnumerateArray())
        {
            if (!CsvTimestamp.TryParse(bar.GetProperty("time").GetString() ?? "", out var time))
            {
                throw new InvalidDataException($"{Url(key, start, end)}: bar time '{bar.GetProperty("time")}' is not a timestamp");
            }

            digest.Add(new Bar(time, bar.GetProperty("open").GetDouble(), bar.GetProperty("high").GetDouble(), bar.GetProperty("low").GetDouble(),
                bar.GetProperty("close").GetDouble(), bar.GetProperty("volume").GetDouble()));
        }
    });

    /// <summary>Times <paramref name="read"/> filling a digest; the hash is finished after the clock stops.</summary>
    private static async Task<Load> MeasureAsync(Func<SeriesDigest, Task> read)
    {
        using var digest = new SeriesDigest();
        var clock = Stopwatch.StartNew();
        await read(digest);
        var elapsed = clock.Elapsed;
        return new Load(digest.Finish(), digest.Count, elapsed);
    }

    public static string Url(SeriesKey key, DateTime? start, DateTime? end)
    {
        var query = new List<string>();
        if (start is { } s)
        {
            query.Add($"start={Uri.EscapeDataString(BarText.Time(s))}");
        }

        if (end is { } e)
        {
            query.Add($"end={Uri.EscapeDataString(BarText.Time(e))}");
        }

        var path = $"api/v1/data/{Uri.EscapeDataString(key.Symbol)}/{Uri.EscapeDataString(key.Timeframe)}";
        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new HttpRequestException($"GET {request.RequestUri} answered {(int)response.StatusCode}: {Cut(body)}", null, response.StatusCode);
        }

        return response;
    }

    private static string Cut(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
