using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Worker;

public sealed class E2eVerifyTests
{
    [OneTimeSetUp]
    public Task Migrate() => MigratedStore.EnsureAsync();

    [Test]
    public async Task E2e_verify_passes_on_the_migrated_database_and_prints_latency_figures()
    {
        var result = await MigratedStore.RunAsync("e2e-verify");

        // Every check but the two latency ones is about correctness and must pass; whether the latency targets hold
        // depends on the machine (speed is the benchmark's business), so the test holds the exit code to them instead.
        var checks = result.Stdout.Split('\n').TakeWhile(line => line.Length > 0).Skip(1).ToList();
        Assert.That(checks, Has.Count.EqualTo(10), result.Stdout);
        Assert.That(checks.Where(c => !c.StartsWith("latency", StringComparison.Ordinal)), Has.All.Match(@"^\S.*?\s{2,}ok\s"), result.Stdout);
        var latencyMet = checks.Where(c => c.StartsWith("latency", StringComparison.Ordinal)).All(c => c.Contains("  ok  ", StringComparison.Ordinal));
        Assert.That(result.ExitCode, Is.EqualTo(latencyMet ? 0 : 1), result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Match(@"(?m)^backend in force\s+ok\s+timescaledb"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^full and one-year loads, repository = API\s+ok\s+4 series, 4,600 bars, identical through both"));
        Assert.That(result.Stdout, Does.Match(@"latency \(repository\): 8 queries: median [0-9.]+ ms, p95 [0-9.]+ ms, max [0-9.]+ ms"));
        Assert.That(result.Stdout, Does.Match(@"latency \(HTTP API\):\s+8 queries: median [0-9.]+ ms, p95 [0-9.]+ ms, max [0-9.]+ ms"));
        Assert.That(result.Stdout, Does.EndWith(latencyMet ? "e2e-verify: PASSED\n" : "e2e-verify: FAILED\n"));
        Assert.That(result.Stderr, Does.Contain("HTTP API started in this process at http://127.0.0.1:"));
    }

    [Test]
    public async Task E2e_verify_fails_when_the_csv_store_is_in_force()
    {
        var result = await CliProcess.RunAsync(MigratedStore.Environment("csv"), "e2e-verify");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stdout, Does.Match(@"(?m)^backend in force\s+FAIL\s+csv: set DB_TYPE=postgresql"));
        Assert.That(result.Stdout, Does.Contain("e2e-verify: FAILED"));
    }
}
