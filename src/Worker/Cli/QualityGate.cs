using System.Globalization;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Worker.Cli;

/// <summary><c>migrate --fail-on quality</c>: the data-quality findings of the finished run make it exit 1.</summary>
internal static class QualityGate
{
    public static async Task<int> ExitAsync(IServiceProvider services, long runId, TextWriter output, CancellationToken ct)
    {
        var checks = await services.GetRequiredService<QualityStore>().ForRunAsync(runId, ct);
        var findings = checks.Sum(c => c.Findings);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"data quality of run {runId}: {findings:N0} finding(s) in {checks.Count(c => c.Findings > 0)} of {checks.Count} series (the report's 'Data quality' section lists them)"));
        if (findings == 0)
        {
            return CliErrorBoundary.Ok;
        }

        await Console.Error.WriteLineAsync($"error: run {runId} has {findings} data-quality finding(s) and --fail-on quality");
        return CliErrorBoundary.Failed;
    }
}
