using Ktrdr.Jobs;
using Ktrdr.Jobs.Reports;

namespace Ktrdr.Tests.Jobs;

/// <summary>The stored texts are a contract with existing databases and report readers: these tests pin them.</summary>
public sealed class StateTextTests
{
    [TestCase(RunState.Importing, "importing")]
    [TestCase(RunState.Verifying, "verifying")]
    [TestCase(RunState.Succeeded, "succeeded")]
    [TestCase(RunState.Partial, "partial")]
    [TestCase(RunState.Cancelled, "cancelled")]
    public void A_run_state_is_stored_as_its_text_and_read_back(RunState state, string text)
    {
        Assert.That(state.ToText(), Is.EqualTo(text));
        Assert.That(RunStateText.Parse(text), Is.EqualTo(state));
    }

    [TestCase(ItemState.Enqueued, "enqueued")]
    [TestCase(ItemState.Processing, "processing")]
    [TestCase(ItemState.Succeeded, "succeeded")]
    [TestCase(ItemState.Failed, "failed")]
    public void An_item_state_is_stored_as_its_text_and_read_back(ItemState state, string text)
    {
        Assert.That(state.ToText(), Is.EqualTo(text));
        Assert.That(ItemStateText.Parse(text), Is.EqualTo(state));
    }

    [TestCase(ReportStatus.Success, "success")]
    [TestCase(ReportStatus.Partial, "partial")]
    public void A_report_status_is_written_as_its_text_and_read_back(ReportStatus status, string text)
    {
        Assert.That(status.ToText(), Is.EqualTo(text));
        Assert.That(ReportStatusText.Report.Parse(text), Is.EqualTo(status));
    }

    [TestCase(ReportItemStatus.Ok, "ok")]
    [TestCase(ReportItemStatus.Mismatch, "mismatch")]
    [TestCase(ReportItemStatus.Unverified, "unverified")]
    [TestCase(ReportItemStatus.Failed, "failed")]
    public void A_file_status_is_written_as_its_text_and_read_back(ReportItemStatus status, string text)
    {
        Assert.That(status.ToText(), Is.EqualTo(text));
        Assert.That(ReportStatusText.Item.Parse(text), Is.EqualTo(status));
    }

    [Test]
    public void Every_value_of_every_mapping_round_trips()
    {
        Assert.That(Enum.GetValues<RunState>().Select(s => RunStateText.Parse(s.ToText())), Is.EqualTo(Enum.GetValues<RunState>()));
        Assert.That(Enum.GetValues<ItemState>().Select(s => ItemStateText.Parse(s.ToText())), Is.EqualTo(Enum.GetValues<ItemState>()));
        Assert.That(Enum.GetValues<ReportStatus>().Select(s => ReportStatusText.Report.Parse(s.ToText())), Is.EqualTo(Enum.GetValues<ReportStatus>()));
        Assert.That(Enum.GetValues<ReportItemStatus>().Select(s => ReportStatusText.Item.Parse(s.ToText())), Is.EqualTo(Enum.GetValues<ReportItemStatus>()));
    }

    [TestCase("Succeeded")]
    [TestCase("done")]
    [TestCase("")]
    [TestCase(null)]
    public void Unknown_run_state_text_is_refused_naming_the_text_the_column_and_the_known_states(string? text)
    {
        var error = Assert.Throws<FormatException>(() => RunStateText.Parse(text))!;
        Assert.That(error.Message, Does.Contain($"'{text}'").And.Contain("migration_runs.state")
            .And.Contain("importing, verifying, succeeded, partial, cancelled"));
    }

    [Test]
    public void Unknown_item_state_text_is_refused_naming_the_column_and_what_to_do()
    {
        var error = Assert.Throws<FormatException>(() => ItemStateText.Parse("paused"))!;
        Assert.That(error.Message, Does.Contain("'paused'").And.Contain("migration_items.state").And.Contain("enqueued, processing, succeeded, failed")
            .And.Contain("newer ktrdr"));
    }

    [Test]
    public void A_value_outside_the_enum_has_no_text()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((RunState)42).ToText());
    }

    [Test]
    public void Final_states_are_those_that_change_no_more()
    {
        Assert.That(Enum.GetValues<RunState>().Where(s => s.IsFinal()), Is.EquivalentTo(new[] { RunState.Succeeded, RunState.Partial, RunState.Cancelled }));
        Assert.That(Enum.GetValues<ItemState>().Where(s => s.IsFinal()), Is.EquivalentTo(new[] { ItemState.Succeeded, ItemState.Failed }));
    }

    private enum Colour
    {
        Red,
        Green,
    }

    [Test]
    public void A_mapping_that_leaves_a_value_without_text_or_gives_two_values_one_text_is_refused_when_built()
    {
        var missing = Assert.Throws<ArgumentException>(() => _ = new TextMapping<Colour>("colour", new Dictionary<Colour, string> { [Colour.Red] = "red" }))!;
        Assert.That(missing.Message, Does.Contain("no stored text for Green"));
        var shared = Assert.Throws<ArgumentException>(() =>
            _ = new TextMapping<Colour>("colour", new Dictionary<Colour, string> { [Colour.Red] = "r", [Colour.Green] = "r" }))!;
        Assert.That(shared.Message, Does.Contain("the text(s) r stand for more than one Colour value"));
    }
}
