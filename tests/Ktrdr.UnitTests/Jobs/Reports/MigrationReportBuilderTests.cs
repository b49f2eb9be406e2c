using System.Text.Json;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Reports;

namespace Ktrdr.Tests.Jobs.Reports;

/// <summary>The report is built from the run model alone: no database, no files.</summary>
public sealed class MigrationReportBuilderTests
{
    private static readonly DateTime Started = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly MigrationRun Run = new() { Id = 42, StartedAt = Started, DataDir = "/data", ReportDir = "/reports", State = RunState.Verifying };

    private static MigrationItem Item(long id, string symbol, ItemState state, bool? verified, ItemCounts? counts, string? error = null, string? verify = null) => new()
    {
        Id = id, RunId = 42, Symbol = symbol, Timeframe = "1d", FilePath = $"/data/{symbol}_1d.csv", State = state, Verified = verified, Counts = counts,
        Attempts = 1, Error = error, VerifyMessage = verify, StartedAt = Started, FinishedAt = Started.AddSeconds(2),
        FirstTime = new DateTime(2020, 1, 2, 0, 0, 0, DateTimeKind.Utc), LastTime = new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc),
    };

    private static readonly IReadOnlyList<MigrationItem> Items =
    [
        Item(1, "AAPL", ItemState.Succeeded, true, new ItemCounts { Read = 1000, Inserted = 990, AlreadyPresent = 5, Conflicting = 2, Rejected = 3, Normalized = 7 }),
        Item(2, "MSFT", ItemState.Succeeded, false, new ItemCounts { Read = 500, Inserted = 500 }, verify: "3 bars differ"),
        Item(3, "BAD", ItemState.Failed, null, null, error: "no price columns | at all"),
        Item(4, "NEW", ItemState.Succeeded, null, new ItemCounts { Read = 10, AlreadyPresent = 10 }),
    ];

    private static MigrationReport Report(IReadOnlyList<MigrationItem> items) =>
        MigrationReportBuilder.Build(Run, items, [(1, "bad price", 3L)], [new RejectedRow(1, 17, "/data/AAPL_1d.csv", "2020-01-02,x,1,1,1,1", "bad price")],
            Started.AddSeconds(10));

    [Test]
    public void The_summary_adds_up_the_files_counts_and_counts_only_verified_files_as_successful()
    {
        var report = Report(Items);

        Assert.That(report.Status, Is.EqualTo(ReportStatus.Partial));
        Assert.That(report.Success, Is.False);
        Assert.That(report.Items.Select(i => i.Status),
            Is.EqualTo(new[] { ReportItemStatus.Ok, ReportItemStatus.Mismatch, ReportItemStatus.Failed, ReportItemStatus.Unverified }));
        var s = report.Summary;
        Assert.That((s.TotalSeries, s.TotalSymbols, s.Successful, s.Failed, s.SuccessRate), Is.EqualTo((4, 4, 1, 3, 25.0)));
        Assert.That(s.Counts, Is.EqualTo(new ItemCounts { Read = 1510, Inserted = 1490, AlreadyPresent = 15, Conflicting = 2, Rejected = 3, Normalized = 7 }));
        Assert.That(s.Counts.Balances, Is.True);
        Assert.That(s.RowsPerSecond, Is.EqualTo(151.0));
        Assert.That(report.Items.Single(i => i.Symbol == "BAD").Counts, Is.EqualTo(default(ItemCounts)), "a failed file has no counts");
    }

    [Test]
    public void A_run_whose_every_file_is_imported_and_verified_is_a_success()
    {
        var report = Report([Items[0]]);

        Assert.That((report.Status, report.Success), Is.EqualTo((ReportStatus.Success, true)));
        Assert.That(MigrationReportWriter.Render(report), Does.Contain("**Status**: ✅ SUCCESS").And.Not.Contain("## Failures"));
    }

    [Test]
    public void The_markdown_states_the_accounting_identity_each_file_and_each_failure()
    {
        var markdown = MigrationReportWriter.Render(Report(Items));

        Assert.That(markdown, Does.Contain("**Run**: 42 (data directory `/data`)")
            .And.Contain("**Status**: ⚠️ PARTIAL (3 failures)")
            .And.Contain("- **Total Rows**: 1,510 read = 1,490 inserted + 15 already present + 2 conflicting + 3 rejected\n")
            .And.Contain("- **Volumes normalized** (-1 sentinel stored as 0): 7")
            .And.Contain("| AAPL | 1d | 1,000 | 990 | 5 | 2 | 3 | 2020-01-02 | 2024-12-31 | 2.00 | ✅ |")
            .And.Contain("| MSFT | 1d | 500 | 500 | 0 | 0 | 0 | 2020-01-02 | 2024-12-31 | 2.00 | ❌ mismatch |")
            .And.Contain("| NEW | 1d | 10 | 0 | 10 | 0 | 0 | 2020-01-02 | 2024-12-31 | 2.00 | ⚠️ unverified |")
            .And.Contain("- **BAD 1d** (failed, 1 attempt(s)): no price columns \\| at all")
            .And.Contain("- **MSFT 1d** (mismatch, 1 attempt(s)): 3 bars differ")
            .And.Contain("- **NEW 1d** (unverified, 1 attempt(s)): not verified")
            .And.Contain("- bad price: 3")
            .And.Contain("| 17 | bad price | `2020-01-02,x,1,1,1,1` |"));
        Assert.That(markdown, Does.Not.Contain("outside the requested range"), "a whole-file run with no line outside a range");
    }

    [Test]
    public void A_gap_filling_run_adds_the_lines_outside_its_range_to_the_identity()
    {
        var ranged = Run with { RangeStart = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), RangeEnd = new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc) };
        var item = Item(1, "AAPL", ItemState.Succeeded, true, new ItemCounts { Read = 100, Inserted = 21, OutsideRange = 79 });
        var report = MigrationReportBuilder.Build(ranged, [item], [], [], Started.AddSeconds(10));
        var markdown = MigrationReportWriter.Render(report);

        Assert.That(report.Range, Is.Not.Null);
        Assert.That(markdown, Does.Contain("100 read = 21 inserted + 0 already present + 0 conflicting + 0 rejected + 79 outside the requested range")
            .And.Contain("- AAPL 1d: 79 lines outside the requested range"));
    }

    [Test]
    public void The_json_holds_the_counts_flat_in_snake_case_and_the_statuses_as_their_text()
    {
        using var json = JsonDocument.Parse(MigrationReportWriter.ToJson(Report(Items)));
        var root = json.RootElement;

        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "run_id", "generated_at", "started_at", "data_dir", "status", "summary", "items", "rejections", "warnings", "quality", "range", "success",
        }));
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("partial"));
        Assert.That(root.GetProperty("success").GetBoolean(), Is.False);

        var summary = root.GetProperty("summary");
        Assert.That(summary.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "total_series", "total_symbols", "successful", "failed", "success_rate", "total_rows", "inserted", "already_present", "conflicting",
            "rejected", "normalized", "duration_seconds", "rows_per_second", "outside_range", "older_than_retention",
        }));
        Assert.That(summary.GetProperty("total_rows").GetInt64(), Is.EqualTo(1510));
        Assert.That(summary.GetProperty("already_present").GetInt64(), Is.EqualTo(15));

        var first = root.GetProperty("items")[0];
        Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "symbol", "timeframe", "file_path", "read", "inserted", "already_present", "conflicting", "rejected", "normalized", "start_date", "end_date",
            "duration_seconds", "status", "attempts", "error", "verification", "read_as_utc", "outside_range", "older_than_retention", "retention_cutoff",
            "older_first_time", "older_last_time",
        }));
        Assert.That(first.GetProperty("read").GetInt64(), Is.EqualTo(1000));
        Assert.That(root.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()),
            Is.EqualTo(new[] { "ok", "mismatch", "failed", "unverified" }));
        Assert.That(root.GetProperty("rejections")[0].GetProperty("by_reason").GetProperty("bad price").GetInt64(), Is.EqualTo(3));
    }
}
