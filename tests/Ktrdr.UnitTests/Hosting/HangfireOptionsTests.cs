using System.ComponentModel.DataAnnotations;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Tests.Hosting;

public sealed class HangfireOptionsTests
{
    [Test]
    public void Retry_delays_that_are_not_whole_seconds_fail_validation_naming_the_setting()
    {
        var errors = Validate(new HangfireOptions { RetryDelays = "10, 3o, 60" });

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].ErrorMessage, Does.Contain("KTRDR_RETRY_DELAYS").And.Contain("'3o'").And.Contain("10,30,60"));
    }

    [Test]
    public void Retry_delays_as_comma_separated_seconds_are_parsed()
    {
        var options = new HangfireOptions { RetryDelays = " 10, 30 ,,60" };

        Assert.That(Validate(options), Is.Empty);
        Assert.That(options.RetryDelaySeconds(), Is.EqualTo(new[] { 10, 30, 60 }));
    }

    private static List<ValidationResult> Validate(HangfireOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
