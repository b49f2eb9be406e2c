using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Worker;

/// <summary>Malformed settings through the real CLI: exit 2, naming the variable and what is valid, never the password.</summary>
public sealed class ConfigurationErrorTests
{
    [Test]
    public async Task A_pool_size_that_is_not_a_number_exits_2_naming_the_variable_its_value_and_what_is_valid()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql", ["DB_PASSWORD"] = "hunter2-secret", ["DB_POOL_SIZE"] = "abc",
        }, "operations", "list");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("DB_POOL_SIZE='abc' is not valid: use a whole number"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("hunter2-secret"));
    }

    [Test]
    public async Task A_malformed_connection_string_exits_2_naming_DB_CONNECTION_STRING_and_the_keyword_without_the_password()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql", ["DB_CONNECTION_STRING"] = "Host=localhost;Password=hunter2-secret;bogus=1",
        }, "operations", "list");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("DB_CONNECTION_STRING is not a valid PostgreSQL connection string: the keyword 'bogus' is unknown"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("hunter2-secret"));
    }

    [Test]
    public async Task A_Hangfire_setting_out_of_range_exits_2_before_the_command_touches_the_database_naming_the_variable()
    {
        // No server listens on DB_PORT 1: had the command started its work, it would fail there (exit 1).
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql", ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["KTRDR_WORKERS"] = "0",
        }, "operations", "list");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("KTRDR_WORKERS='0' is not valid: KTRDR_WORKERS must be between 1 and 64"));
    }

    [Test]
    public async Task A_migration_setting_that_is_not_a_number_exits_2_for_a_command_that_needs_no_migration()
    {
        var data = Directory.CreateTempSubdirectory("ktrdr-configerror-").FullName;
        try
        {
            var result = await CliProcess.RunAsync(new Dictionary<string, string?>
            {
                ["DB_TYPE"] = "csv", ["DATA_DIR"] = data, ["KTRDR_IMPORT_RETRIES"] = "lots",
            }, "data", "list-symbols");

            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("KTRDR_IMPORT_RETRIES='lots' is not valid: use a whole number"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task Serve_with_a_poll_interval_that_is_not_a_duration_exits_2_naming_the_variable_before_it_listens()
    {
        // Had serve got past its settings it would listen until stopped (the run would time out, failing the test).
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql", ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["KTRDR_POLL_INTERVAL"] = "soon",
        }, "serve", "--urls", "http://127.0.0.1:0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("KTRDR_POLL_INTERVAL='soon' is not valid: use a duration as hh:mm:ss"));
    }
}
