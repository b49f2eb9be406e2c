using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Api;

/// <summary>
/// The read API alone (no Hangfire server): what <c>e2e-verify</c> starts in-process on a loopback port when no
/// <c>--api-url</c> is given. <c>serve</c> maps the same endpoints next to its jobs.
/// </summary>
internal static class DataApiHost
{
    public static WebApplication Build(string urls, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = KtrdrHost.CreateWebBuilder(overrides, server: false);
        builder.WebHost.UseUrls(urls);
        var app = builder.BuildValidated();
        app.MapKtrdrApi();
        return app;
    }
}
