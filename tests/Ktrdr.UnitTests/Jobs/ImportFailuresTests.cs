using Ktrdr.Backends.Csv;
using Ktrdr.Jobs;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

public sealed class ImportFailuresTests
{
    private const string File = "/data/BIG_5m.csv";

    private static PostgresException Server(string sqlState, string message, string? hint = null) =>
        new(message, "ERROR", "ERROR", sqlState, hint: hint);

    [Test]
    public void A_full_lock_table_fails_at_once_and_names_the_settings_to_change()
    {
        var error = Server("53200", "out of shared memory", "You might need to increase max_locks_per_transaction.");

        Assert.That(error.IsTransient, Is.True, "Npgsql's own view, which the importer must not follow here");
        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.Contain(File).And.Contain("SQLSTATE 53200")
            .And.Contain("KTRDR_IMPORT_BATCH_CHUNKS").And.Contain("max_locks_per_transaction").And.Contain("permanent"));
    }

    [Test]
    public void A_full_disk_fails_at_once_and_says_to_free_space_on_the_server()
    {
        var error = Server("53100", "could not extend file: No space left on device");

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.Contain("disk is full").And.Contain("retry the failed job"));
    }

    [Test]
    public void Too_many_connections_names_the_pool_settings()
    {
        Assert.That(ImportFailures.Describe(File, Server("53300", "sorry, too many clients already"), 1),
            Does.Contain("DB_POOL_SIZE").And.Contain("max_connections"));
    }

    [Test]
    public void A_deadlock_is_transient_and_counts_the_attempt()
    {
        var error = Server("40P01", "deadlock detected");

        Assert.That(ImportFailures.IsPermanent(error), Is.False);
        Assert.That(ImportFailures.Describe(File, error, 2), Does.EndWith("(attempt 2)"));
    }

    [Test]
    public void A_bad_file_is_permanent_and_keeps_its_own_message()
    {
        var error = new CsvFileException(File, "file not found; check the data directory (DATA_DIR or --data-dir)");

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.StartWith(error.Message));
    }
}
