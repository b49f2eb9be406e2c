using System.Diagnostics;
using Ktrdr.Worker.Hosting;
using OpenTelemetry.Trace;

namespace Ktrdr.Tests.Hosting;

public sealed class KtrdrSamplerTests
{
    private static readonly ActivityContext Recorded = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
    private static readonly ActivityContext NotRecorded = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

    private static SamplingDecision Decide(ActivityContext parent, ActivityKind kind) =>
        new KtrdrSampler().ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "span", kind)).Decision;

    [Test]
    public void A_client_span_without_a_parent_is_dropped_as_storage_polling() =>
        Assert.That(Decide(default, ActivityKind.Client), Is.EqualTo(SamplingDecision.Drop));

    [TestCase(ActivityKind.Internal)]
    [TestCase(ActivityKind.Consumer)]
    [TestCase(ActivityKind.Server)]
    [TestCase(ActivityKind.Producer)]
    public void Any_other_root_span_is_kept(ActivityKind kind) =>
        Assert.That(Decide(default, kind), Is.EqualTo(SamplingDecision.RecordAndSample));

    [Test]
    public void A_child_follows_its_parent()
    {
        Assert.That(Decide(Recorded, ActivityKind.Client), Is.EqualTo(SamplingDecision.RecordAndSample));
        Assert.That(Decide(NotRecorded, ActivityKind.Internal), Is.EqualTo(SamplingDecision.Drop));
    }
}
