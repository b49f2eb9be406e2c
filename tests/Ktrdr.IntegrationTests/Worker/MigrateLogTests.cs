using System.Text.RegularExpressions;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Worker;

/// <summary>What <c>migrate</c> logs, through the real CLI.</summary>
public sealed class MigrateLogTests
{
    [Test]
    public async Task The_verification_enqueued_line_names_the_verification_job_not_an_import_job()
    {
        await using var harness = await JobsHarness.CreateAsync("migratelog");
        foreach (var symbol in new[] { "LGA", "LGB" })
        {
            await new SampleDataWriter().WriteAsync(harness.DataDir, symbol, "1d", 100, withBadLines: false, CancellationToken.None);
        }

        var settings = harness.Settings;
        settings["KTRDR_LOG_LEVEL"] = "Information";
        var result = await CliProcess.RunAsync(settings, "migrate", "--yes", "--report-dir", harness.ReportDir);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var logged = Regex.Match(result.Stdout + result.Stderr, @"verification job ""?(\d+)""? enqueued");
        Assert.That(logged.Success, Is.True, $"no 'verification job N enqueued' line in:\n{result.Stderr}");
        var verifyJobs = await harness.ScalarAsync(
            "SELECT count(*) FROM hangfire.job WHERE id = @id AND invocationdata::text LIKE '%VerifyRunJob%'", new { id = long.Parse(logged.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.That(verifyJobs, Is.EqualTo(1), $"job {logged.Groups[1].Value} of the line '{logged.Value}' is not the verification job");
    }
}
