using Ktrdr.Backends;
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

    [TestCase("22P02", "invalid input syntax for type double precision", TestName = "A_refused_value_class_22_is_permanent")]
    [TestCase("22001", "value too long for type character varying(8)", TestName = "A_value_too_long_for_its_column_22001_is_permanent")]
    [TestCase("42P01", "relation \"price_data\" does not exist", TestName = "A_missing_table_class_42_is_permanent")]
    [TestCase("42501", "permission denied for table price_data", TestName = "A_missing_right_42501_is_permanent")]
    public void A_server_error_that_the_same_attempt_would_repeat_is_permanent(string sqlState, string message)
    {
        var error = Server(sqlState, message);

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.Contain($"SQLSTATE {sqlState}").And.EndWith("(permanent: fix the cause and re-run)"));
    }

    [TestCase("40001", TestName = "A_serialization_failure_40001_is_retried")]
    [TestCase("08006", TestName = "A_connection_failure_08006_is_retried")]
    [TestCase("57P01", TestName = "An_administrator_shutdown_57P01_is_retried")]
    [TestCase("55P03", TestName = "A_lock_not_available_55P03_is_retried")]
    [TestCase("23505", TestName = "An_error_of_another_class_23505_is_retried_not_judged_permanent")]
    public void A_server_error_that_can_pass_is_retried(string sqlState)
    {
        var error = Server(sqlState, "transient");

        Assert.That(ImportFailures.IsPermanent(error), Is.False);
        Assert.That(ImportFailures.Describe(File, error, 3), Does.EndWith("(attempt 3)"));
    }

    [Test]
    public void A_missing_right_says_how_to_grant_it()
    {
        Assert.That(ImportFailures.Describe(File, Server("42501", "permission denied for table price_data"), 1),
            Does.Contain("DB_USER").And.Contain("docs/least-privilege.sql"));
    }

    [Test]
    public void A_lost_connection_without_a_server_error_is_retried_and_names_the_file()
    {
        var error = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer"));

        Assert.That(ImportFailures.IsPermanent(error), Is.False);
        Assert.That(ImportFailures.Describe(File, error, 2), Is.EqualTo($"{File}: NpgsqlException: Exception while reading from stream (attempt 2)"));
    }

    [Test]
    public void A_file_system_fault_is_retried()
    {
        var error = new IOException("Stale file handle");

        Assert.That(ImportFailures.IsPermanent(error), Is.False);
        Assert.That(ImportFailures.Describe(File, error, 1), Is.EqualTo($"{File}: IOException: Stale file handle (attempt 1)"));
    }

    [Test]
    public void Bad_content_found_while_reading_is_permanent()
    {
        var error = new InvalidDataException("line 7 is not in ascending time order");

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.Contain("line 7").And.Contain("permanent"));
    }

    [Test]
    public void A_series_key_too_long_for_its_column_is_permanent_and_keeps_its_own_message()
    {
        var error = Assert.Throws<SeriesKeyTooLongException>(() =>
            SeriesKeyTooLongException.ThrowIfTooLong(File, new SeriesKey(new string('S', 40), "5m"), 32, 8))!;

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe(File, error, 1), Does.StartWith(error.Message).And.EndWith("(permanent: fix the cause and re-run)"));
    }
}
