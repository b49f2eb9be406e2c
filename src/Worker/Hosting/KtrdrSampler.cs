using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// Keeps every span that belongs to the work and drops client spans that have no parent: those are Hangfire's own
/// storage polls (a query every half second per worker), which would otherwise bury the migration's traces. A child
/// follows its parent's decision.
/// </summary>
internal sealed class KtrdrSampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId == default)
        {
            return new SamplingResult(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
        }

        return new SamplingResult((parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
