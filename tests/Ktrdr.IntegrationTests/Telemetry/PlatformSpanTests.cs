using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// The platform's span names and attributes (its observability spec for this migration) reach a real OTLP endpoint
/// from the real CLI: a migration in batches, then reads through the repository. The receiver's protobuf is decoded,
/// so each assertion says which span carries which attribute.
/// </summary>
public sealed class PlatformSpanTests
{
    private const int AaplRows = 2_500;
    private const int MsftRows = 120;
    private readonly List<OtlpSpan> _spans = [];
    private long _runId;

    [OneTimeSetUp]
    public async Task MigrateAndReadWithAnOtlpEndpoint()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("platformspans");
        var root = Directory.CreateTempSubdirectory("ktrdr-platformspans-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var writer = new SampleDataWriter();
            await writer.WriteAsync(data, "AAPL", "1d", AaplRows, withBadLines: true, CancellationToken.None);
            await writer.WriteAsync(data, "MSFT", "1d", MsftRows, withBadLines: false, CancellationToken.None);
            await using var receiver = await OtlpReceiver.StartAsync(grpc: false);
            var environment = new Dictionary<string, string?>
            {
                ["DB_TYPE"] = "postgresql",
                ["DB_CONNECTION_STRING"] = connectionString,
                ["DATA_DIR"] = data,
                ["KTRDR_REPORT_DIR"] = Path.Combine(root, "report"),
                ["KTRDR_IMPORT_BATCH_ROWS"] = "1000",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            };

            var migrate = await CliProcess.RunAsync(environment, "migrate", "--yes");
            Assert.That(migrate.ExitCode, Is.Zero, migrate.Stderr);
            _runId = 1;
            var load = await CliProcess.RunAsync(environment, "data", "load", "MSFT", "1d");
            Assert.That(load.ExitCode, Is.Zero, load.Stderr);
            var list = await CliProcess.RunAsync(environment, "data", "list-symbols");
            Assert.That(list.ExitCode, Is.Zero, list.Stderr);

            _spans.AddRange(receiver.Requests.Where(r => r.Path == OtlpReceiver.HttpPath).SelectMany(r => OtlpSpan.Decode(r.Body)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private IEnumerable<OtlpSpan> Named(string name) => _spans.Where(s => s.Name == name);

    private OtlpSpan Of(string name, string symbol) => Named(name).Single(s => Equals(s.Attributes.GetValueOrDefault(PlatformSpans.DataSymbol), symbol));

    private OtlpSpan ParentOf(OtlpSpan span) => _spans.Single(s => s.SpanId == span.ParentSpanId);

    [Test]
    public void Import_all_describes_the_whole_run()
    {
        var all = Named(JobPlatformSpans.ImportAll).Single();
        var badLines = SampleDataWriter.BadLines.Length + 1;
        var run = Named(JobSpans.MigrationRun).Single();
        Assert.Multiple(() =>
        {
            Assert.That(all.Attributes[JobPlatformSpans.OperationType], Is.EqualTo("DATA_MIGRATION"));
            Assert.That(all.Attributes[JobPlatformSpans.OperationId], Is.EqualTo($"run:{_runId}"));
            Assert.That(all.Attributes[JobPlatformSpans.TotalSymbols], Is.EqualTo(2L));
            Assert.That(all.Attributes[JobPlatformSpans.TotalRowsImported], Is.EqualTo((long)(AaplRows + MsftRows)));
            Assert.That(all.Attributes[JobPlatformSpans.TotalRowsSkipped], Is.EqualTo((long)badLines));
            Assert.That(all.Attributes[JobPlatformSpans.WarningsCount], Is.EqualTo((long)badLines));
            Assert.That((long)all.Attributes[JobPlatformSpans.DurationMs], Is.EqualTo((long)((all.EndNanos - all.StartNanos) / 1_000_000)).Within(1));
            Assert.That(all.TraceId, Is.EqualTo(run.TraceId), "in the run's trace");
            Assert.That(all.StartNanos, Is.LessThanOrEqualTo(run.EndNanos), "it starts with the run, not with its verification");
            Assert.That(all.EndNanos, Is.GreaterThanOrEqualTo(Named(JobSpans.Verify).Max(s => s.EndNanos)));
        });
    }

    [Test]
    public void Import_symbol_carries_the_platforms_attributes_beside_ours()
    {
        var import = Of(JobSpans.ImportSymbol, "AAPL");
        var badLines = SampleDataWriter.BadLines.Length + 1;
        Assert.Multiple(() =>
        {
            Assert.That(import.Attributes[PlatformSpans.DataTimeframe], Is.EqualTo("1d"));
            Assert.That(import.Attributes[JobPlatformSpans.RowsImported], Is.EqualTo((long)AaplRows));
            Assert.That(import.Attributes[JobPlatformSpans.RowsSkipped], Is.EqualTo((long)badLines));
            Assert.That(import.Attributes[JobPlatformSpans.Warnings], Is.EqualTo((long)badLines));
            Assert.That(import.Attributes, Does.ContainKey(JobPlatformSpans.DurationMs));
            Assert.That(import.Attributes[KtrdrActivity.Symbol], Is.EqualTo("AAPL"), "ours stays");
            Assert.That(import.Attributes[KtrdrActivity.RowsInserted], Is.EqualTo((long)AaplRows), "ours stays");
        });
    }

    [Test]
    public void Each_batch_is_an_insert_batch_with_the_timescaledb_insert_under_it()
    {
        var import = Of(JobSpans.ImportSymbol, "AAPL");
        var batches = Named(JobPlatformSpans.InsertBatch).Where(b => b.ParentSpanId == import.SpanId).ToList();
        var inserts = Named(PlatformSpans.TimescaleInsert).Where(i => batches.Any(b => b.SpanId == ParentOf(ParentOf(i)).SpanId)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(batches, Has.Count.GreaterThanOrEqualTo(3), "2,500 lines in batches of at most 1,000");
            Assert.That(batches.Sum(b => (long)b.Attributes[JobPlatformSpans.RowsImported]), Is.EqualTo((long)AaplRows));
            Assert.That(inserts, Has.Count.EqualTo(batches.Count), "insert_batch > timescaledb.save_data > timescaledb.insert");
            Assert.That(inserts.Select(i => ParentOf(i).Name), Is.All.EqualTo(KtrdrActivity.SaveData));
            Assert.That(inserts.Select(i => i.Attributes[PlatformSpans.DbSystem]), Is.All.EqualTo("postgresql"));
            Assert.That(inserts.Select(i => i.Attributes[PlatformSpans.DbOperation]), Is.All.EqualTo("COPY"));
            Assert.That(inserts.Select(i => i.Attributes[PlatformSpans.DbName]), Is.All.StartsWith("platformspans"));
            Assert.That(inserts.Sum(i => (long)i.Attributes[PlatformSpans.DbRowsAffected]), Is.EqualTo((long)AaplRows));
            Assert.That(Named(KtrdrActivity.SaveData).Select(s => s.Attributes[KtrdrActivity.Symbol]), Does.Contain("AAPL"));
            Assert.That(Named("csv_import.check_exists"), Is.Empty, "no span per row");
        });
    }

    [Test]
    public void Discovery_and_verification_have_the_platforms_spans()
    {
        var discover = Named(JobPlatformSpans.DiscoverSymbols).ToList();
        var verifyData = Named(JobPlatformSpans.VerifyData).Single();
        var compare = Of(JobPlatformSpans.CompareCsvDb, "MSFT");
        Assert.Multiple(() =>
        {
            Assert.That(discover.Select(d => d.Attributes[JobPlatformSpans.TotalSymbols]), Does.Contain(2L));
            Assert.That(ParentOf(verifyData).Name, Is.EqualTo(JobSpans.VerifyRun));
            Assert.That(verifyData.Attributes[JobPlatformSpans.OperationId], Is.EqualTo($"run:{_runId}"));
            Assert.That(ParentOf(compare).Name, Is.EqualTo(JobSpans.Verify), "the platform's span under ours");
            Assert.That(ParentOf(ParentOf(compare)).SpanId, Is.EqualTo(verifyData.SpanId));
            Assert.That(compare.Attributes["migration.matches"], Is.EqualTo(true));
            Assert.That(compare.Attributes["migration.db_rows"], Is.EqualTo((long)MsftRows));
        });
    }

    [Test]
    public void Reads_through_the_repository_have_load_list_symbols_and_query_spans()
    {
        var load = Of(PlatformSpans.RepositoryLoad, "MSFT");
        var loadData = _spans.Single(s => s.ParentSpanId == load.SpanId && s.Name == KtrdrActivity.LoadData);
        var queries = _spans.Where(s => s.ParentSpanId == loadData.SpanId && s.Name == PlatformSpans.TimescaleQuery).ToList();
        var list = Named(PlatformSpans.RepositoryListSymbols).Single();
        var listQuery = _spans.Single(s => s.Name == PlatformSpans.TimescaleQuery && s.TraceId == list.TraceId);
        Assert.Multiple(() =>
        {
            Assert.That(load.Attributes[PlatformSpans.DataTimeframe], Is.EqualTo("1d"));
            Assert.That(load.Attributes[KtrdrActivity.RowsLoaded], Is.EqualTo((long)MsftRows));
            Assert.That(loadData.Attributes[KtrdrActivity.Symbol], Is.EqualTo("MSFT"), "timescaledb.load_data with db.symbol");
            Assert.That(queries, Is.Not.Empty);
            Assert.That(queries.Sum(q => (long)q.Attributes[PlatformSpans.DbRowsAffected]), Is.EqualTo((long)MsftRows));
            Assert.That(queries.Select(q => q.Attributes[PlatformSpans.DbOperation]), Is.All.EqualTo("SELECT"));
            Assert.That(queries.Select(q => q.Attributes[PlatformSpans.DbSystem]), Is.All.EqualTo("postgresql"));
            Assert.That(list.Attributes["data.symbols_count"], Is.EqualTo(2L));
            Assert.That(listQuery.Attributes[PlatformSpans.DbName], Does.StartWith("platformspans"));
            Assert.That(listQuery.Attributes[PlatformSpans.DbRowsAffected], Is.EqualTo(2L));
        });
    }
}
