using Ktrdr.Backends;

namespace Ktrdr.Tests.Backends;

public sealed class SeriesNamesTests
{
    [TestCase("AAPL")]
    [TestCase("EURUSD")]
    [TestCase("BRK.B")]
    [TestCase("^GSPC")]
    public void Real_symbols_are_valid(string symbol) => Assert.That(SeriesNames.IsValidSymbol(symbol), Is.True);

    [TestCase("../etc/passwd")]
    [TestCase("a/b")]
    [TestCase("..")]
    [TestCase(".hidden")]
    [TestCase("X'); DROP TABLE price_data;--")]
    [TestCase("")]
    public void Names_that_could_leave_the_data_directory_are_refused(string symbol) =>
        Assert.That(SeriesNames.IsValidSymbol(symbol), Is.False);

    [TestCase(40, true)]
    [TestCase(64, true)]
    [TestCase(65, false)]
    public void Symbols_may_be_up_to_64_characters_so_that_the_database_column_decides(int length, bool valid) =>
        Assert.That(SeriesNames.IsValidSymbol(new string('S', length)), Is.EqualTo(valid));

    [TestCase("1d", true)]
    [TestCase("5m", true)]
    [TestCase("1h", true)]
    [TestCase("d1", false)]
    [TestCase("1d/..", false)]
    public void Timeframes_are_a_number_and_a_unit(string timeframe, bool valid) =>
        Assert.That(SeriesNames.IsValidTimeframe(timeframe), Is.EqualTo(valid));
}
