using System.Diagnostics;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Telemetry;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Ktrdr.Worker.Hosting;
using OpenTelemetry.Trace;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// The spans of a migration run through a real Hangfire server on real PostgreSQL, captured by an in-memory exporter:
/// names, attributes and parentage, from the run down to the Npgsql commands, and the error on a failed job.
/// </summary>
[NonParallelizable] // in-process tracing (an in-memory exporter) and Hangfire in this process (JobServer)
public sealed class TraceTests
{
    private const int AaplRows = 300;
    private readonly List<Activity> _spans = [];
    private string _dataDir = "";
    private MigrationRun _run = null!;
    private IReadOnlyList<MigrationItem> _items = [];

    [OneTimeSetUp]
    public async Task RunAMigrationWithTracing()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("traces");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-traces-").FullName;
        var data = Path.Combine(_dataDir, "data");
        var writer = new SampleDataWriter();
        await writer.WriteAsync(data, "AAPL", "1d", AaplRows, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(data, "EURUSD", "1h", 200, withBadLines: false, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(data, "BROKEN_1d.csv"), "timestamp,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n");

        await using (var server = await JobsHarness.StartAsync(connectionString, _dataDir,
                         configure: (s, c) => s.AddKtrdrTelemetry(c, tracing => tracing.AddInMemoryExporter(_spans))))
        {
            (_run, _items) = await server.MigrateAsync(data, Path.Combine(_dataDir, "report"));
        }
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_dataDir, recursive: true);

    private IEnumerable<Activity> Named(string name) => _spans.Where(s => s.DisplayName == name);

    private Activity ImportOf(string symbol) =>
        Named(JobSpans.ImportSymbol).Single(s => (string?)s.GetTagItem(KtrdrActivity.Symbol) == symbol);

    private Activity ParentOf(Activity span) => _spans.Single(s => s.SpanId == span.ParentSpanId);

    [Test]
    public void The_run_is_one_trace_from_the_run_span_down_to_the_verification()
    {
        var run = Named(JobSpans.MigrationRun).Single();
        Assert.Multiple(() =>
        {
            Assert.That(run.GetTagItem(JobSpans.RunId), Is.EqualTo(_run.Id));
            Assert.That(run.GetTagItem(JobSpans.Files), Is.EqualTo(3));
            Assert.That(Named(JobSpans.ImportSymbol).Select(s => s.TraceId), Is.Not.Empty.And.All.EqualTo(run.TraceId));
            Assert.That(Named(JobSpans.VerifyRun).Single().TraceId, Is.EqualTo(run.TraceId));
            Assert.That(Named(JobSpans.Verify).Select(s => s.TraceId), Is.Not.Empty.And.All.EqualTo(run.TraceId));
        });
    }

    [Test]
    public void An_import_span_sits_under_its_Hangfire_job_span_which_sits_under_the_run()
    {
        var import = ImportOf("AAPL");
        var job = ParentOf(import);
        var item = _items.Single(i => i.Symbol == "AAPL");
        Assert.Multiple(() =>
        {
            Assert.That(job.DisplayName, Is.EqualTo("hangfire.job ImportFileJob"));
            Assert.That(job.Kind, Is.EqualTo(ActivityKind.Consumer));
            Assert.That(job.GetTagItem("hangfire.job.id"), Is.EqualTo(item.JobId));
            Assert.That(ParentOf(job).DisplayName, Is.EqualTo(JobSpans.MigrationRun));
        });
    }

    [Test]
    public void The_import_span_carries_series_run_and_row_counts()
    {
        var import = ImportOf("AAPL");
        var item = _items.Single(i => i.Symbol == "AAPL");
        var badLines = SampleDataWriter.BadLines.Length + 1;
        Assert.Multiple(() =>
        {
            Assert.That(import.GetTagItem(KtrdrActivity.Timeframe), Is.EqualTo("1d"));
            Assert.That(import.GetTagItem(JobSpans.RunId), Is.EqualTo(_run.Id));
            Assert.That(import.GetTagItem(JobSpans.RowsRead), Is.EqualTo((long)(AaplRows + badLines)));
            Assert.That(import.GetTagItem(KtrdrActivity.RowsInserted), Is.EqualTo((long)AaplRows));
            Assert.That(import.GetTagItem(JobSpans.RowsRejected), Is.EqualTo((long)badLines));
            Assert.That(item.Inserted, Is.EqualTo(AaplRows));
            Assert.That(import.Status, Is.EqualTo(ActivityStatusCode.Unset));
        });
    }

    [Test]
    public void Save_data_sits_under_the_imports_batch_and_Npgsql_commands_nest_under_the_work()
    {
        var import = ImportOf("EURUSD");
        var batch = Named(JobPlatformSpans.InsertBatch).Single(s => s.ParentSpanId == import.SpanId);
        var save = Named(KtrdrActivity.SaveData).Single(s => s.ParentSpanId == batch.SpanId);
        var insert = Named(PlatformSpans.TimescaleInsert).Single(s => s.ParentSpanId == save.SpanId);
        var npgsql = _spans.Where(s => s.Source.Name == "Npgsql").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(save.GetTagItem(KtrdrActivity.Symbol), Is.EqualTo("EURUSD"));
            Assert.That(save.GetTagItem(KtrdrActivity.RowsInserted), Is.EqualTo(200L));
            Assert.That(insert.GetTagItem(PlatformSpans.DbRowsAffected), Is.EqualTo(200L));
            Assert.That(npgsql, Is.Not.Empty, "no Npgsql command spans were exported");
            Assert.That(npgsql.Where(s => s.ParentSpanId == insert.SpanId), Is.Not.Empty, "no Npgsql command under the batch's write");
            Assert.That(npgsql.Select(s => s.ParentSpanId), Is.All.Not.EqualTo(default(ActivitySpanId)),
                "an Npgsql span without a parent (Hangfire's polling) was exported");
        });
    }

    [Test]
    public void Verification_spans_compare_each_imported_file_and_load_its_bars()
    {
        var verifyRun = Named(JobSpans.VerifyRun).Single();
        var verify = Named(JobSpans.Verify).Single(s => (string?)s.GetTagItem(KtrdrActivity.Symbol) == "EURUSD");
        var compare = Named(JobPlatformSpans.CompareCsvDb).Single(s => s.ParentSpanId == verify.SpanId);
        var load = Named(KtrdrActivity.LoadData).Single(s => s.ParentSpanId == compare.SpanId);
        Assert.Multiple(() =>
        {
            Assert.That(verifyRun.GetTagItem(JobSpans.RunId), Is.EqualTo(_run.Id));
            Assert.That(ParentOf(verifyRun).DisplayName, Is.EqualTo("hangfire.job VerifyRunJob"));
            Assert.That(ParentOf(verify).DisplayName, Is.EqualTo(JobPlatformSpans.VerifyData));
            Assert.That(ParentOf(ParentOf(verify)).SpanId, Is.EqualTo(verifyRun.SpanId));
            Assert.That(verify.GetTagItem(JobSpans.Matches), Is.EqualTo(true));
            Assert.That(verify.GetTagItem(JobSpans.DbRows), Is.EqualTo(200L));
            Assert.That(load.GetTagItem(KtrdrActivity.RowsLoaded), Is.EqualTo(200L));
            Assert.That(load.GetTagItem(KtrdrActivity.Timeframe), Is.EqualTo("1h"));
        });
    }

    [Test]
    public void A_failed_import_leaves_its_error_on_the_import_and_the_job_span()
    {
        var import = ImportOf("BROKEN");
        var job = ParentOf(import);
        var item = _items.Single(i => i.Symbol == "BROKEN");
        Assert.Multiple(() =>
        {
            Assert.That(item.State, Is.EqualTo(ItemState.Failed));
            Assert.That(import.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(import.StatusDescription, Does.Contain("lacks column(s) volume"));
            Assert.That(import.Events.Select(e => e.Name), Does.Contain("exception"));
            Assert.That(job.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(job.Events.Single(e => e.Name == "exception").Tags.Single(t => t.Key == "exception.type").Value,
                Is.EqualTo(typeof(ImportFailedException).FullName));
        });
    }
}
