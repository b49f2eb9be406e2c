using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Ktrdr.Tests.Jobs.Fakes;

/// <summary>A job client that fails the test if anything enqueues: planning must not start jobs.</summary>
internal sealed class RefusingJobClient : IBackgroundJobClient
{
    public string Create(Job job, IState state) => throw new AssertionException($"planning enqueued {job}");

    public bool ChangeState(string jobId, IState state, string expectedState) => throw new AssertionException($"planning changed job {jobId}");
}
