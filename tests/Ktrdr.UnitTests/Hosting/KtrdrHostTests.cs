using Hangfire;
using Hangfire.Common;
using Ktrdr.Jobs;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Ktrdr.Tests.Hosting;

/// <summary>The one host builder: each host's own job filters, and every options type validated when it is built.</summary>
public sealed class KtrdrHostTests
{
    [Test]
    public void Two_hosts_in_one_process_keep_their_own_import_retry_policy()
    {
        using var first = Build(new() { ["KTRDR_IMPORT_RETRIES"] = "3", ["KTRDR_RETRY_DELAYS"] = "1,2" });
        using var second = Build(new() { ["KTRDR_IMPORT_RETRIES"] = "7", ["KTRDR_RETRY_DELAYS"] = "5" });

        var retryFirst = Retry(first, Job.FromExpression(() => SampleJobs.Plain()));
        var retrySecond = Retry(second, Job.FromExpression(() => SampleJobs.Plain()));

        Assert.That((retryFirst.Attempts, retryFirst.DelaysInSeconds), Is.EqualTo((3, new[] { 1, 2 })));
        Assert.That((retrySecond.Attempts, retrySecond.DelaysInSeconds), Is.EqualTo((7, new[] { 5 })));
        Assert.That(retryFirst.ExceptOn, Is.EqualTo(new[] { typeof(ImportFailedException) }));
        Assert.That(retryFirst.OnAttemptsExceeded, Is.EqualTo(AttemptsExceededAction.Fail));
    }

    [Test]
    public void Building_a_host_leaves_Hangfires_process_wide_filters_as_they_were()
    {
        var before = GlobalJobFilters.Filters.Select(f => f.Instance).ToList();

        using var services = Build(new() { ["KTRDR_IMPORT_RETRIES"] = "9" });
        _ = services.GetRequiredService<IJobFilterProvider>().GetFilters(Job.FromExpression(() => SampleJobs.Plain())).ToList();

        Assert.That(GlobalJobFilters.Filters.Select(f => f.Instance), Is.EqualTo(before));
        Assert.That(GlobalJobFilters.Filters.Select(f => f.Instance), Has.None.InstanceOf<HangfireTracingFilter>());
    }

    [Test]
    public void A_jobs_own_retry_attribute_overrides_the_hosts_policy_and_its_filter_attributes_apply()
    {
        using var services = Build([]);
        var filters = services.GetRequiredService<IJobFilterProvider>().GetFilters(Job.FromExpression(() => SampleJobs.NoRetries())).ToList();

        Assert.That(filters.Select(f => f.Instance).OfType<AutomaticRetryAttribute>().Single().Attempts, Is.Zero);
        Assert.That(filters.Select(f => f.Instance), Has.One.InstanceOf<RequeueAfterFailureFilter>());
        Assert.That(filters.Select(f => f.Instance), Has.One.InstanceOf<HangfireTracingFilter>());
        Assert.That(filters.Select(f => f.Instance), Has.One.InstanceOf<ContinuationsSupportAttribute>());
    }

    [TestCase("KTRDR_WORKERS", "0", "KTRDR_WORKERS='0' is not valid: KTRDR_WORKERS must be between 1 and 64")]
    [TestCase("KTRDR_INVISIBILITY_TIMEOUT", "soon", "KTRDR_INVISIBILITY_TIMEOUT='soon' is not valid: use a duration")]
    [TestCase("KTRDR_IMPORT_RETRIES", "99", "KTRDR_IMPORT_RETRIES='99' is not valid: KTRDR_IMPORT_RETRIES must be between 0 and 20")]
    [TestCase("KTRDR_IMPORT_MAX_ATTEMPTS", "many", "KTRDR_IMPORT_MAX_ATTEMPTS='many' is not valid: use a whole number")]
    [TestCase("KTRDR_DASHBOARD_VIEWER_USER", "viewer", "set both KTRDR_DASHBOARD_VIEWER_USER and KTRDR_DASHBOARD_VIEWER_PASSWORD, or neither")]
    public void A_bad_value_of_any_options_type_fails_the_build_naming_the_variable(string key, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Build(new() { [key] = value }).Dispose());

        Assert.That(error!.Message, Does.StartWith("configuration: ").And.Contain(message));
    }

    [Test]
    public void A_password_is_never_shown_in_a_configuration_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Build(new() { ["KTRDR_DASHBOARD_USER"] = "ops", ["KTRDR_DASHBOARD_PASSWORD"] = "hunter2" }).Dispose());

        Assert.That(error!.Message, Does.Contain("KTRDR_DASHBOARD_PASSWORD is too short").And.Not.Contain("hunter2"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["DB_TYPE"] = "csv";
        settings["DATA_DIR"] = Path.GetTempPath();
        settings["KTRDR_LOG_LEVEL"] = "Warning";
        return KtrdrHost.CreateBuilder(settings).BuildServices();
    }

    private static AutomaticRetryAttribute Retry(IServiceProvider services, Job job) =>
        services.GetRequiredService<IJobFilterProvider>().GetFilters(job).Select(f => f.Instance).OfType<AutomaticRetryAttribute>().Single();
}
