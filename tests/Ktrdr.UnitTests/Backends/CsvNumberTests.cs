using System.Globalization;
using System.Text;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Tests.Backends;

public sealed class CsvNumberTests
{
    private static (bool Ok, long Bits) Framework(string text) =>
        double.TryParse(Encoding.UTF8.GetBytes(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (true, BitConverter.DoubleToInt64Bits(v)) : (false, 0);

    private static (bool Ok, long Bits) Ours(string text) =>
        CsvNumber.TryParse(Encoding.UTF8.GetBytes(text), out var v) ? (true, BitConverter.DoubleToInt64Bits(v)) : (false, 0);

    [TestCase("245.0960")]
    [TestCase("0.1")]
    [TestCase("-0.0")]
    [TestCase("-0")]
    [TestCase("+12.5")]
    [TestCase(".5")]
    [TestCase("5.")]
    [TestCase("2736708.0")]
    [TestCase("000123.4500")]
    [TestCase("0.0000000000000000000001")]
    [TestCase("0.00000000000000000000001")]
    [TestCase("123456789012345")]
    [TestCase("1234567890123456")]
    [TestCase("12345678901234567890")]
    [TestCase("9007199254740993")]
    [TestCase("1.7976931348623157e308")]
    [TestCase("1e5")]
    [TestCase("NaN")]
    [TestCase("-Infinity")]
    [TestCase(" 1.5")]
    [TestCase("1.5 ")]
    [TestCase("")]
    [TestCase("-")]
    [TestCase(".")]
    [TestCase("1.2.3")]
    [TestCase("1,5")]
    [TestCase("abc")]
    public void Parses_exactly_as_the_framework_does(string text) => Assert.That(Ours(text), Is.EqualTo(Framework(text)));

    [Test]
    public void Random_prices_and_volumes_parse_to_the_same_bits_as_the_framework()
    {
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            var value = Math.Round((random.NextDouble() - 0.1) * Math.Pow(10, random.Next(-6, 12)), random.Next(0, 12));
            foreach (var text in new[] { value.ToString("R", CultureInfo.InvariantCulture), value.ToString("F" + random.Next(0, 16), CultureInfo.InvariantCulture) })
            {
                Assert.That(Ours(text), Is.EqualTo(Framework(text)), text);
            }
        }
    }
}
