using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Jobs.BadInput;

/// <summary>
/// A file deleted while its import is reading it (the moment is known from the item's progress). On Linux the open
/// file stays readable to the end: the import completes with every bar, and the verification, which has to read the
/// file again, reports that it cannot, so the run ends partial instead of claiming a check it did not make.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobServer)
public sealed class FileVanishesMidImportTests
{
    private const int Rows = 300_000;

    [Test]
    [CancelAfter(300_000)]
    public async Task A_file_deleted_mid_import_is_imported_whole_and_reported_unverifiable(CancellationToken cancellationToken)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("vanish");
        var root = Directory.CreateTempSubdirectory("ktrdr-vanish-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            var path = Path.Combine(data, "BIG_1d.csv");
            await File.WriteAllBytesAsync(path, BadInputCorpus.Good(Rows), cancellationToken: cancellationToken);
            await using var server = await JobsHarness.StartAsync(connectionString, root, new Dictionary<string, string?>
            {
                ["ProgressEveryRows"] = "1000",

                // 300,000 daily bars span 821 years: ten-year chunks keep the table to 83 of them (the subject here is
                // the vanishing file, not the chunking).
                ["TSDB_CHUNK_INTERVAL"] = "3650.00:00:00",
            });

            var plan = server.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(data, Path.Combine(root, "report"), [], []));
            var runId = await server.Services.GetRequiredService<MigrationPlanner>().StartAsync(plan, CancellationToken.None);
            var seen = await WaitUntilReadingAsync(server.Store, runId);
            File.Delete(path);
            var (run, items) = await server.WaitAsync(runId, cancellationToken: cancellationToken);

            var item = items.Single();
            var stored = await server.Services.GetRequiredService<TimescaleBackend>().GetDateRangeAsync(new SeriesKey("BIG", "1d"), CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(seen.RowsDone, Is.LessThan(Rows), "the file was deleted after its import finished reading: the test proves nothing");
                Assert.That(item.State, Is.EqualTo(ItemState.Succeeded), item.Error);
                Assert.That(item.Inserted, Is.EqualTo(Rows));
                Assert.That(stored!.Count, Is.EqualTo(Rows));
                Assert.That(item.Verified, Is.False);
                Assert.That(item.VerifyMessage, Does.Contain("cannot re-read the file").And.Contain("file not found"));
                Assert.That(run.State, Is.EqualTo(RunState.Partial));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<MigrationItem> WaitUntilReadingAsync(MigrationRunStore store, long runId)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!limit.IsCancellationRequested)
        {
            var item = (await store.GetItemsAsync(runId, CancellationToken.None)).Single();
            if (item.State == ItemState.Processing && item.RowsDone > 0)
            {
                return item;
            }

            Assert.That(item.IsFinal, Is.False, "the import finished before it was seen reading");
            await Task.Delay(5, CancellationToken.None);
        }

        Assert.Fail("the import never started reading");
        return null!;
    }
}
