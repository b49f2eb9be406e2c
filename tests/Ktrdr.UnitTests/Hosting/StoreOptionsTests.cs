using Ktrdr.Backends;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Tests.Hosting;

public sealed class StoreOptionsTests
{
    [TestCase(null, StoreKind.Csv)]
    [TestCase("", StoreKind.Csv)]
    [TestCase("csv", StoreKind.Csv)]
    [TestCase("CSV", StoreKind.Csv)]
    [TestCase("postgresql", StoreKind.Timescale)]
    [TestCase("PostgreSQL", StoreKind.Timescale)]
    public void DB_TYPE_takes_the_seeds_values_in_any_case(string? type, StoreKind store)
    {
        var options = new StoreOptions { Type = type };
        Assert.That(options.Error, Is.Null);
        Assert.That(options.Store, Is.EqualTo(store));
        Assert.That(new StoreOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }

    [TestCase("mysql")]
    [TestCase("timescaledb")]
    [TestCase(" csv")]
    public void Any_other_DB_TYPE_is_refused_naming_the_setting_its_value_and_the_accepted_values(string type)
    {
        var result = new StoreOptionsValidator().Validate(null, new StoreOptions { Type = type });
        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Is.EqualTo($"DB_TYPE='{type}' is not supported: use 'csv' (the default) or 'postgresql'"));
        Assert.That(() => new StoreOptions { Type = type }.Store, Throws.InvalidOperationException.With.Message.Contains("DB_TYPE"));
    }

    [Test]
    public void Each_store_has_one_name()
    {
        Assert.That(StoreKind.Csv.ToName(), Is.EqualTo("csv"));
        Assert.That(StoreKind.Timescale.ToName(), Is.EqualTo("timescaledb"));
    }
}
