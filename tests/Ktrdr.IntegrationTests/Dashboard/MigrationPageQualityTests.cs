using Ktrdr.Jobs.Quality;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Dashboard;

/// <summary>The Migration page's Data quality table: the latest run's findings per series and kind, encoded as text.</summary>
[NonParallelizable] // Hangfire in this process (RunningWorker)
public sealed class MigrationPageQualityTests
{
    [Test]
    public async Task The_migration_page_shows_the_latest_runs_quality_findings_per_series()
    {
        await using var worker = await RunningWorker.StartAsync("migquality", _ => Task.CompletedTask);
        var (runId, _) = await worker.Store.CreateRunAsync(worker.Data, worker.Reports, ["1h"], [],
            [("FAULTY", "1h", Path.Combine(worker.Data, "FAULTY_1h.csv"), 1_000), ("A<b>", "1h", Path.Combine(worker.Data, "A_1h.csv"), 1_000)],
            CancellationToken.None);
        var jump = new QualityFinding(QualityKinds.Jump, new DateTime(2025, 8, 5, 15, 0, 0, DateTimeKind.Utc), new DateTime(2025, 8, 5, 15, 0, 0, DateTimeKind.Utc), 1, 40, "jump");
        var gap = new QualityFinding(QualityKinds.Gap, new DateTime(2025, 9, 10, 16, 0, 0, DateTimeKind.Utc), new DateTime(2025, 9, 10, 18, 0, 0, DateTimeKind.Utc), 3, 0, "gap");
        await worker.App.Services.GetRequiredService<QualityStore>().SaveAsync(QualityStore.SourceRun, runId,
        [
            new SeriesQuality("FAULTY", "1h", 1_043, null, null, new Dictionary<string, long> { [QualityKinds.Jump] = 1, [QualityKinds.Gap] = 2 }, 5, 1, [gap, jump], []),
            new SeriesQuality("A<b>", "1h", 1_050, null, null, new Dictionary<string, long>(), 0, 0, [], []),
        ], CancellationToken.None);

        using var http = new HttpClient();
        var html = await http.GetStringAsync(worker.Url + "/hangfire/migration");

        Assert.That(html, Does.Contain("Data quality <small>warnings: 3 finding(s) in 1 of 2 series"));
        var row = html[html.IndexOf("<td>FAULTY</td>", html.IndexOf("ktrdr-quality", StringComparison.Ordinal), StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.That(row, Does.Contain("<td class=\"align-right\">1,043</td><td class=\"align-right\">2</td><td class=\"align-right\">0</td><td class=\"align-right\">0</td><td class=\"align-right\">1</td>"),
            "bars, gaps, missing days, session, jumps");
        Assert.That(html, Does.Contain("<td>A&lt;b&gt;</td>").And.Not.Contain("<td>A<b></td>"));
    }
}
