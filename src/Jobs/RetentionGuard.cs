using System.Globalization;
using System.Text;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Jobs;

/// <summary>
/// The data-loss guard of a migration into a <c>price_data</c> with a retention policy: finds the planned bars that lie
/// before the policy's cutoff (<c>now() - drop_after</c>), which the policy would delete after they were imported and
/// verified. A migration with such bars stops before writing anything unless the user chose: remove the policy, or
/// leave those bars out (counted as "older than retention").
/// </summary>
public static class RetentionGuard
{
    /// <summary>The options a user has, as the messages name them.</summary>
    public const string DropOption = "--drop-retention-policy";

    /// <summary>The option that leaves the bars before the cutoff out.</summary>
    public const string SkipOption = "--skip-older-than-retention";

    /// <summary>Reads every planned file (streaming) and counts its good bars before <paramref name="cutoff"/>.</summary>
    /// <returns>The files with such bars; empty when none has any.</returns>
    /// <exception cref="CsvFileException">A file cannot be read (the import would fail on it the same way).</exception>
    public static async Task<IReadOnlyList<RetentionExposure>> ScanAsync(MigrationPlan plan, DateTime cutoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var exposed = new List<RetentionExposure>();
        foreach (var planned in plan.Files)
        {
            long bars = 0;
            DateTime first = DateTime.MaxValue, last = DateTime.MinValue;
            using var file = CsvBarFile.Open(planned.Path);
            await foreach (var row in file.ReadAsync(cancellationToken))
            {
                if (row.Kind == CsvRowKind.Bar && row.Bar.Time < cutoff)
                {
                    bars++;
                    first = row.Bar.Time < first ? row.Bar.Time : first;
                    last = row.Bar.Time > last ? row.Bar.Time : last;
                }
            }

            if (bars > 0)
            {
                exposed.Add(new RetentionExposure(Path.GetFileName(planned.Path), bars, first, last));
            }
        }

        return exposed;
    }

    /// <summary>Why the migration stops, what is affected, and the two choices.</summary>
    public static string StopMessage(RetentionPolicy policy, IReadOnlyList<RetentionExposure> exposed, int plannedFiles)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(exposed);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{policy.Describe()} would delete {exposed.Sum(e => e.Bars):N0} rows of {exposed.Count} of the {plannedFiles} planned files after they were imported and verified; nothing was written.");
        foreach (var e in exposed)
        {
            text.AppendLine(c, $"  {e.File}: {e.Bars:N0} rows before the cutoff ({CsvTimestamp.Format(e.First)} to {CsvTimestamp.Format(e.Last)})");
        }

        text.AppendLine("Choose one and run migrate again:");
        text.AppendLine(c, $"  {DropOption}        remove the retention policy (asks to confirm; --yes confirms), then import every bar");
        text.Append(c, $"  {SkipOption}   leave the rows before the cutoff out: they are counted as \"older than retention\" and listed in the report");
        return text.ToString();
    }
}
