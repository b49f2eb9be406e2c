using Ktrdr.Backends;

namespace Ktrdr.Tests.Backends;

public sealed class BarValidatorTests
{
    private static readonly DateTime T = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public void A_consistent_bar_passes() => Assert.That(BarValidator.Check(new Bar(T, 10, 12, 9, 11, 100)), Is.Null);

    [Test]
    public void The_no_volume_sentinel_passes() => Assert.That(BarValidator.Check(new Bar(T, 10, 12, 9, 11, -1)), Is.Null);

    [TestCase(10, 9, 12, 11, 100, "high < low")]
    [TestCase(13, 12, 9, 11, 100, "open outside [low, high]")]
    [TestCase(10, 12, 9, 8, 100, "close outside [low, high]")]
    [TestCase(10, 12, 9, 11, -2, "negative volume")]
    [TestCase(double.NaN, 12, 9, 11, 100, "price is NaN or infinite")]
    [TestCase(10, double.PositiveInfinity, 9, 11, 100, "price is NaN or infinite")]
    [TestCase(10, 12, 9, 11, double.NaN, "volume is NaN or infinite")]
    public void Inconsistent_bars_are_refused_with_their_reason(double o, double h, double l, double c, double v, string reason) =>
        Assert.That(BarValidator.Check(new Bar(T, o, h, l, c, v)), Is.EqualTo(reason));
}
