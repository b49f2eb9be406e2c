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
}
