using Ktrdr.Jobs;

namespace Ktrdr.Tests.Jobs;

/// <summary>The one place a stored row becomes the typed model: state text to enum, count columns to one <see cref="ItemCounts"/>.</summary>
public sealed class MigrationRowTests
{
    [Test]
    public void An_item_row_with_its_counts_becomes_an_item_whose_counts_balance()
    {
        var item = new MigrationItemRow
        {
            Id = 3, State = "succeeded", RowsRead = 10, Inserted = 6, AlreadyPresent = 1, Conflicting = 1, Rejected = 1, OutsideRange = 1, Normalized = 2,
        }.ToItem();

        Assert.That(item.State, Is.EqualTo(ItemState.Succeeded));
        Assert.That(item.Counts, Is.EqualTo(new ItemCounts { Read = 10, Inserted = 6, AlreadyPresent = 1, Conflicting = 1, Rejected = 1, OutsideRange = 1, Normalized = 2 }));
        Assert.That(item.Counts!.Value.Balances, Is.True);
        Assert.That((item.RowsRead, item.Inserted, item.OlderThanRetention), Is.EqualTo(((long?)10, (long?)6, (long?)0)), "older_than_retention NULL: finished before the column existed");
    }

    [Test]
    public void An_item_not_yet_finished_has_no_counts()
    {
        var item = new MigrationItemRow { State = "processing", RowsDone = 500 }.ToItem();

        Assert.That((item.State, item.Counts, item.RowsRead, item.RowsDone), Is.EqualTo((ItemState.Processing, (ItemCounts?)null, (long?)null, 500L)));
    }

    [Test]
    public void A_row_whose_state_this_version_does_not_know_is_refused_naming_the_column()
    {
        var item = Assert.Throws<FormatException>(() => new MigrationItemRow { State = "paused" }.ToItem())!;
        var run = Assert.Throws<FormatException>(() => new MigrationRunRow { State = "archived" }.ToRun())!;

        Assert.That(item.Message, Does.Contain("'paused'").And.Contain("migration_items.state"));
        Assert.That(run.Message, Does.Contain("'archived'").And.Contain("migration_runs.state"));
    }

    [Test]
    public void A_run_row_becomes_a_run_with_its_state()
    {
        var run = new MigrationRunRow { Id = 9, State = "cancelled", DataDir = "/data", Error = "stopped" }.ToRun();

        Assert.That((run.Id, run.State, run.State.IsFinal(), run.DataDir, run.Error), Is.EqualTo((9L, RunState.Cancelled, true, "/data", "stopped")));
    }
}
