using System.Diagnostics;
using Ktrdr.Backends;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Hosting;
using OpenTelemetry.Trace;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// The repository's platform spans on real PostgreSQL: a save (which no CLI command makes: the migration writes through
/// its batch writer) is <c>data.repository.save</c> over <c>timescaledb.save_data</c> over <c>timescaledb.insert</c>.
/// </summary>
[NonParallelizable] // in-process tracing (an in-memory exporter)
public sealed class RepositorySpanTests
{
    [Test]
    public async Task A_save_through_the_repository_is_traced_down_to_the_insert()
    {
        var spans = new List<Activity>();
        var connectionString = await PostgresServer.CreateDatabaseAsync("repospans");
        var dataDir = Directory.CreateTempSubdirectory("ktrdr-repospans-").FullName;
        try
        {
            await using (var services = TestServices.Build(connectionString, dataDir,
                             configure: (s, c) => s.AddKtrdrTelemetry(c, tracing => tracing.AddInMemoryExporter(spans))))
            {
                await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
                var start = DateTime.UtcNow.Date.AddDays(-1);
                var bars = Enumerable.Range(0, 3).Select(i => new Bar(start.AddHours(i), 10, 11, 9, 10.5, 100)).ToAsyncEnumerable();
                var saved = await services.GetRequiredService<DataRepository>().SaveAsync(new SeriesKey("REPO", "1h"), bars, CancellationToken.None);
                Assert.That(saved.Inserted, Is.EqualTo(3));
            }

            var save = spans.Single(s => s.DisplayName == PlatformSpans.RepositorySave && (string?)s.GetTagItem(PlatformSpans.DataSymbol) == "REPO");
            var saveData = spans.Single(s => s.ParentSpanId == save.SpanId && s.DisplayName == KtrdrActivity.SaveData);
            var insert = spans.Single(s => s.ParentSpanId == saveData.SpanId && s.DisplayName == PlatformSpans.TimescaleInsert);
            Assert.Multiple(() =>
            {
                Assert.That(save.GetTagItem(PlatformSpans.DataTimeframe), Is.EqualTo("1h"));
                Assert.That(save.GetTagItem(PlatformSpans.RowsImported), Is.EqualTo(3L));
                Assert.That(save.GetTagItem("data.backend"), Is.EqualTo("timescaledb"));
                Assert.That(saveData.GetTagItem(KtrdrActivity.Symbol), Is.EqualTo("REPO"));
                Assert.That(insert.GetTagItem(PlatformSpans.DbRowsAffected), Is.EqualTo(3L));
                Assert.That(insert.GetTagItem(PlatformSpans.DbName), Does.StartWith("repospans"));
            });
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
