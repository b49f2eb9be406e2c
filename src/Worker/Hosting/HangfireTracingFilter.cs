using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using Ktrdr.Backends.Telemetry;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// Puts Hangfire jobs into traces. When a job is created inside a span, the span's W3C context is stored as a job
/// parameter; when a worker performs the job, a consumer span <c>hangfire.job {Type}</c> is started as its child (or as
/// a new trace) and is current while the job runs, so the job's own spans and its Npgsql commands nest under it. A job
/// that throws leaves the error on the span (status and exception event). Retries keep the parameter: every attempt
/// appears in the same trace.
/// </summary>
internal sealed class HangfireTracingFilter : JobFilterAttribute, IClientFilter, IServerFilter
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    private const string ItemKey = "ktrdr.activity";

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            context.SetJobParameter(TraceParent, current.Id);
            if (current.TraceStateString is { } state)
            {
                context.SetJobParameter(TraceState, state);
            }
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.BackgroundJob.Job;
        var parentId = context.GetJobParameter<string>(TraceParent);
        ActivityContext.TryParse(parentId, context.GetJobParameter<string>(TraceState), out var parent);

        // Worker threads are reused: a job without a stored context starts a new trace, not a child of whatever ran before.
        Activity.Current = null;
        var activity = KtrdrActivity.Source.StartActivity($"hangfire.job {job?.Type.Name}", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        activity.SetTag("hangfire.job.type", job?.Type.FullName);
        activity.SetTag("hangfire.job.method", job?.Method.Name);
        context.Items[ItemKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Items.TryGetValue(ItemKey, out var value) || value is not Activity activity)
        {
            return;
        }

        if (context.Exception is { } exception && !context.ExceptionHandled)
        {
            KtrdrActivity.Fail(activity, exception is JobPerformanceException { InnerException: { } inner } ? inner : exception);
        }

        activity.Stop();
    }
}
