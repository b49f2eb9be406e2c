using System.Globalization;
using System.Text;

namespace Ktrdr.Worker.Demo;

/// <summary>
/// Writes realistic platform CSV files (a random walk per symbol) for the demo, the tests and the benchmark:
/// the header and timestamp variants real files have, forex files with volume 0.0, and, when asked, bad lines of
/// every kind the migration must reject.
/// </summary>
/// <param name="seed">Seed of the random walks (the same files come out for the same seed).</param>
/// <param name="decimals">Decimal places of the prices (0 to 10). Default 4; real platform files have 2 (volumes are
/// whole numbers either way), which is what compression ratios should be judged on.</param>
internal sealed class SampleDataWriter(int seed = 42, int decimals = SampleDataWriter.DefaultDecimals)
{
    /// <summary>Decimal places of the prices unless told otherwise.</summary>
    public const int DefaultDecimals = 4;

    private readonly int _decimals = decimals is >= 0 and <= 10
        ? decimals
        : throw new ArgumentOutOfRangeException(nameof(decimals), decimals, "price decimals must be between 0 and 10");

    /// <summary>Lines that must be rejected, one per reason, with the reason the import gives.</summary>
    public static readonly (string Line, string Reason)[] BadLines =
    [
        ("not-a-date,1,2,0.5,1.5,100", "unparseable timestamp"),
        ("2001-01-01 00:00:00+00:00,NaN,2,0.5,1.5,100", "price is NaN or infinite"),
        ("2001-01-02 00:00:00+00:00,1,0.5,2,1.5,100", "high < low"),
        ("2001-01-03 00:00:00+00:00,1,2,0.5,1.5,-5", "negative volume"),
        ("2001-01-04 00:00:00+00:00,,2,0.5,1.5,100", "empty field 'open'"),
        ("2001-01-05 00:00:00+00:00,abc,2,0.5,1.5,100", "'open' is not a number"),
    ];

    /// <summary>The reason given to the line that repeats a timestamp with other values (written after the middle bar).</summary>
    public const string RepeatReason = "timestamp repeated within the file with different values";

    /// <summary>Writes <c>{symbol}_{timeframe}.csv</c> with <paramref name="rows"/> good bars (plus bad lines when asked).</summary>
    /// <returns>The path written.</returns>
    public async Task<string> WriteAsync(string directory, string symbol, string timeframe, int rows, bool withBadLines,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{symbol}_{timeframe}.csv");
        var random = new Random(StableSeed($"{seed}/{symbol}/{timeframe}"));
        var step = Step(timeframe);
        var daily = step >= TimeSpan.FromDays(1);
        var forex = symbol.Length == 6 && symbol.All(char.IsUpper) && symbol.EndsWith("USD", StringComparison.Ordinal);
        var time = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var price = 50 + random.NextDouble() * 200;
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteAsync(daily ? "date,open,high,low,close,volume\n" : "timestamp,open,high,low,close,volume\n");
        var badAt = withBadLines ? Math.Max(1, rows / 2) : -1;
        var line = new StringBuilder(96);
        for (var i = 0; i < rows; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i == badAt)
            {
                foreach (var (bad, _) in BadLines)
                {
                    await writer.WriteAsync(bad + "\n");
                }
            }

            var open = Math.Round(price, _decimals);
            var close = Math.Round(price * (1 + (random.NextDouble() - 0.5) * 0.02), _decimals);
            var high = Math.Round(Math.Max(open, close) * (1 + random.NextDouble() * 0.005), _decimals);
            var low = Math.Round(Math.Min(open, close) * (1 - random.NextDouble() * 0.005), _decimals);
            var volume = forex ? 0d : Math.Round(random.NextDouble() * 5_000_000);
            line.Clear();
            line.Append(daily ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : time.ToString("yyyy-MM-dd HH:mm:ss'+00:00'", CultureInfo.InvariantCulture))
                .Append(',').Append(open.ToString("R", CultureInfo.InvariantCulture))
                .Append(',').Append(high.ToString("R", CultureInfo.InvariantCulture))
                .Append(',').Append(low.ToString("R", CultureInfo.InvariantCulture))
                .Append(',').Append(close.ToString("R", CultureInfo.InvariantCulture))
                .Append(',').Append(volume.ToString("0.0", CultureInfo.InvariantCulture)).Append('\n');
            await writer.WriteAsync(line, cancellationToken);
            if (i == badAt)
            {
                // The same timestamp again with another volume: the import must reject it, not pick one silently.
                var repeat = line.ToString().TrimEnd('\n');
                await writer.WriteAsync(repeat[..repeat.LastIndexOf(',')] + ",1.0\n");
            }

            price = close;
            time += step;
        }

        return path;
    }

    // string.GetHashCode is randomised per process; the same file must come out the same on every run.
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return (int)(hash & int.MaxValue);
    }

    /// <summary>The bar length of a timeframe such as 5m, 1h or 1d.</summary>
    public static TimeSpan Step(string timeframe)
    {
        var digits = new string(timeframe.TakeWhile(char.IsDigit).ToArray());
        var n = digits.Length == 0 ? 1 : int.Parse(digits, CultureInfo.InvariantCulture);
        return timeframe[digits.Length..] switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" or "min" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            "w" => TimeSpan.FromDays(7 * n),
            _ => TimeSpan.FromDays(30 * n),
        };
    }
}
