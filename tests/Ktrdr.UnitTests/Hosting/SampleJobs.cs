using Hangfire;
using Ktrdr.Jobs;

namespace Ktrdr.Tests.Hosting;

/// <summary>Job methods whose filters a host's <see cref="Hangfire.Common.IJobFilterProvider"/> is asked for.</summary>
[RequeueAfterFailureFilter]
public static class SampleJobs
{
    public static void Plain()
    {
    }

    [AutomaticRetry(Attempts = 0)]
    public static void NoRetries()
    {
    }
}
