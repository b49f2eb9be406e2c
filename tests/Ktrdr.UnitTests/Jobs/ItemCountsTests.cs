using Ktrdr.Jobs;

namespace Ktrdr.Tests.Jobs;

public sealed class ItemCountsTests
{
    private static readonly ItemCounts Balanced = new()
    {
        Read = 100, Inserted = 50, AlreadyPresent = 20, Conflicting = 3, Rejected = 7, OutsideRange = 12, OlderThanRetention = 8, Normalized = 4,
    };

    [Test]
    public void Counts_balance_when_every_line_read_is_in_exactly_one_category()
    {
        Assert.That(Balanced.Accounted, Is.EqualTo(100));
        Assert.That(Balanced.Balances, Is.True);
        Assert.That(default(ItemCounts).Balances, Is.True, "a file of no lines");
    }

    [TestCase(nameof(ItemCounts.Inserted))]
    [TestCase(nameof(ItemCounts.AlreadyPresent))]
    [TestCase(nameof(ItemCounts.Conflicting))]
    [TestCase(nameof(ItemCounts.Rejected))]
    [TestCase(nameof(ItemCounts.OutsideRange))]
    [TestCase(nameof(ItemCounts.OlderThanRetention))]
    public void A_line_missing_from_any_category_does_not_balance(string category)
    {
        var short1 = category switch
        {
            nameof(ItemCounts.Inserted) => Balanced with { Inserted = Balanced.Inserted - 1 },
            nameof(ItemCounts.AlreadyPresent) => Balanced with { AlreadyPresent = Balanced.AlreadyPresent - 1 },
            nameof(ItemCounts.Conflicting) => Balanced with { Conflicting = Balanced.Conflicting - 1 },
            nameof(ItemCounts.Rejected) => Balanced with { Rejected = Balanced.Rejected - 1 },
            nameof(ItemCounts.OutsideRange) => Balanced with { OutsideRange = Balanced.OutsideRange - 1 },
            _ => Balanced with { OlderThanRetention = Balanced.OlderThanRetention - 1 },
        };

        Assert.That(short1.Balances, Is.False);
        Assert.That(short1.Describe(), Does.StartWith("read 100 != inserted"));
    }

    [Test]
    public void Normalized_is_informational_and_not_a_category_of_the_identity()
    {
        Assert.That((Balanced with { Normalized = 99 }).Balances, Is.True);
        Assert.That((Balanced with { Read = 101 }).Balances, Is.False);
    }

    [Test]
    public void Counts_of_several_files_add_up_category_by_category()
    {
        var other = new ItemCounts { Read = 10, Inserted = 9, Rejected = 1, Normalized = 2 };
        var total = Balanced + other;

        Assert.That(total, Is.EqualTo(new ItemCounts
        {
            Read = 110, Inserted = 59, AlreadyPresent = 20, Conflicting = 3, Rejected = 8, OutsideRange = 12, OlderThanRetention = 8, Normalized = 6,
        }));
        Assert.That(total.Balances, Is.True);
        Assert.That(ItemCounts.Sum([Balanced, other]), Is.EqualTo(total));
        Assert.That(ItemCounts.Sum([]), Is.EqualTo(default(ItemCounts)));
        Assert.That(ItemCounts.Add(Balanced, other), Is.EqualTo(total));
    }

    [Test]
    public void Describe_states_the_identity_with_the_optional_categories_only_when_they_count()
    {
        Assert.That(new ItemCounts { Read = 5, Inserted = 3, AlreadyPresent = 1, Rejected = 1 }.Describe(),
            Is.EqualTo("read 5 = inserted 3 + already present 1 + conflicting 0 + rejected 1"));
        Assert.That(Balanced.Describe(), Does.EndWith("+ outside the range 12 + older than retention 8"));
    }

    [Test]
    public void An_import_outcome_carries_its_counts_and_still_reads_them_by_name()
    {
        var outcome = new ImportOutcome(100, 50, 20, 3, 7, 4, null, null) { OutsideRange = 12, OlderThanRetention = 8 };

        Assert.That(outcome.Counts, Is.EqualTo(Balanced));
        Assert.That((outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting, outcome.Rejected, outcome.Normalized, outcome.OutsideRange),
            Is.EqualTo((100L, 50L, 20L, 3L, 7L, 4L, 12L)));
        Assert.That(outcome.Balances, Is.True);
        Assert.That((outcome with { OutsideRange = 0 }).Balances, Is.False);
    }

    [Test]
    public void A_checkpoint_hands_its_counts_to_the_outcome_and_keeps_its_stored_json_flat()
    {
        var checkpoint = ImportCheckpoint.Start("1:2") with { Read = 10, Inserted = 6, AlreadyPresent = 1, Rejected = 1, OutsideRange = 2 };
        var json = System.Text.Json.JsonSerializer.Serialize(checkpoint);

        Assert.That(checkpoint.ToOutcome().Counts, Is.EqualTo(new ItemCounts { Read = 10, Inserted = 6, AlreadyPresent = 1, Rejected = 1, OutsideRange = 2 }));
        Assert.That(json, Does.Contain("\"Read\":10").And.Contain("\"OutsideRange\":2").And.Not.Contain("Counts"),
            "BeginAttempt reads checkpoint->>'Read', and stored checkpoints must still resume");
    }

    [Test]
    public void Run_totals_count_files_by_state_and_sum_only_the_counts_that_are_known()
    {
        MigrationItem Item(ItemState state, bool? verified, ItemCounts? counts, long rowsDone) =>
            new() { State = state, Verified = verified, Counts = counts, RowsDone = rowsDone };
        var other = new ItemCounts { Read = 10, Inserted = 9, Rejected = 1 };
        var totals = RunTotals.Of([
            Item(ItemState.Succeeded, true, Balanced, 100),
            Item(ItemState.Succeeded, false, other, 10),
            Item(ItemState.Failed, null, null, 4),
            Item(ItemState.Processing, null, null, 7),
            Item(ItemState.Enqueued, null, null, 0),
        ]);

        Assert.That(totals with { Ok = 0 }, Is.EqualTo(new RunTotals(5, 3, 2, 1, 1, 1, 121, 2, Balanced + other)));
        Assert.That(totals.Ok, Is.EqualTo(1));
    }
}
