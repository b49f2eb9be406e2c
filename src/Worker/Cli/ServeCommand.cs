using System.CommandLine;
using Hangfire;
using Ktrdr.Worker.Api;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>serve</c>: the worker process. Runs a Hangfire server (several processes on one storage share the work), the
/// dashboard at <c>/hangfire</c>, <c>/health</c>, the read API <c>/api/v1</c>, and the recurring jobs. Listens on
/// 127.0.0.1:5080 unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> say otherwise; beyond loopback only with credentials.
/// </summary>
internal static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default {DefaultUrl} or ASPNETCORE_URLS)" };
        var command = new Command("serve", "Run the worker: Hangfire server, dashboard (/hangfire), health (/health)") { urls, KtrdrCli.DataDir };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            await using var app = Build(parse.GetValue(urls), KtrdrCli.Overrides(parse));
            await StartAsync(app, ct);
            await app.WaitForShutdownAsync(ct);
            return CliErrorBoundary.Ok;
        }, Console.Error));
        return command;
    }

    /// <summary>Starts the worker, and stops it again when it listens beyond loopback without credentials.</summary>
    /// <exception cref="ArgumentException">Listening beyond loopback without credentials.</exception>
    public static async Task StartAsync(WebApplication app, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(ct);
        try
        {
            DashboardSecurityServiceCollectionExtensions.CheckListening(app);
        }
        catch (ArgumentException)
        {
            await app.StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <param name="urls">Where to listen (<c>--urls</c>); null for ASPNETCORE_URLS or the default.</param>
    /// <param name="overrides">Settings laid over the environment (the command's options).</param>
    /// <param name="configure">Last changes to the builder before it builds (tests: a test server).</param>
    public static WebApplication Build(string? urls, IReadOnlyDictionary<string, string?> overrides, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = KtrdrHost.CreateWebBuilder(overrides, server: true);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // With it the dashboard checks an anti-forgery token on every POST: another site open in the operator's browser
        // cannot trigger or delete jobs with the browser's cached credentials or its loopback address.
        builder.Services.AddAntiforgery();
        var listen = urls ?? builder.Configuration["ASPNETCORE_URLS"] ?? builder.Configuration["URLS"] ?? DefaultUrl;
        DashboardSecurityServiceCollectionExtensions.RefuseExposureWithoutCredentials(listen, builder.Configuration);
        builder.WebHost.UseUrls(listen);
        configure?.Invoke(builder);

        var app = builder.BuildValidated();
        app.MapHealthChecks("/health");
        app.MapKtrdrApi();
        var gate = app.Services.GetRequiredService<DashboardAuthorizationFilter>();
        MigrationProgressPage.Register();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "Ktrdr.Worker",
            DisplayStorageConnectionString = false,
            Authorization = [gate],
            IsReadOnlyFunc = gate.IsReadOnly,
        });
        app.Lifetime.ApplicationStarted.Register(() => KtrdrHangfireExtensions.RegisterRecurringJobs(app.Services));
        return app;
    }
}
