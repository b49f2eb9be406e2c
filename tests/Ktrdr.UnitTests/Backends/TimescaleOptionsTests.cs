using Ktrdr.Backends.Timescale;

namespace Ktrdr.Tests.Backends;

public sealed class TimescaleOptionsTests
{
    [TestCase("auto", TimescaleSetting.Auto)]
    [TestCase("AUTO", TimescaleSetting.Auto)]
    [TestCase("true", TimescaleSetting.Required)]
    [TestCase(" True ", TimescaleSetting.Required)]
    [TestCase("false", TimescaleSetting.Disabled)]
    [TestCase("FALSE", TimescaleSetting.Disabled)]
    public void TSDB_ENABLED_accepts_auto_true_and_false_in_any_case(string value, TimescaleSetting setting)
    {
        var options = new TimescaleOptions { Enabled = value };

        Assert.That(options.Errors(), Is.Empty);
        Assert.That(options.Setting, Is.EqualTo(setting));
    }

    [TestCase("yes")]
    [TestCase("1")]
    [TestCase("")]
    public void Any_other_TSDB_ENABLED_is_refused_naming_the_variable_its_value_and_the_valid_values(string value)
    {
        var errors = new TimescaleOptions { Enabled = value }.Errors().ToList();

        Assert.That(errors, Is.EqualTo(new[] { $"TSDB_ENABLED='{value}' is not valid: use 'auto' (the default), 'true' or 'false'" }));
    }

    [Test]
    public void The_default_is_auto()
    {
        Assert.That(new TimescaleOptions().Setting, Is.EqualTo(TimescaleSetting.Auto));
    }

    [Test]
    public void A_chunk_interval_of_zero_is_refused_naming_the_variable()
    {
        Assert.That(new TimescaleOptions { ChunkInterval = TimeSpan.Zero }.Errors(), Has.One.Contains("TSDB_CHUNK_INTERVAL=00:00:00 must be positive"));
    }
}
