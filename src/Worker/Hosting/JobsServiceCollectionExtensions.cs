using Ktrdr.Jobs;
using Ktrdr.Jobs.Quality;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>The migration's stores, pipeline and Hangfire job classes.</summary>
    public static IServiceCollection AddKtrdrJobs(this IServiceCollection services)
    {
        services.AddOptions<MigrationOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QualityOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<QualityOptions>, QualityOptionsValidator>();
        services.AddSingleton<QualityChecker>();
        services.AddSingleton<QualityStore>();
        services.AddSingleton<MigrationRunStore>();
        services.AddSingleton<RunLifecycleStore>();
        services.AddSingleton<RejectedRowStore>();
        services.AddSingleton<VerificationResultStore>();
        services.AddSingleton<IImportBatchStore, ImportBatchStore>();
        services.AddSingleton<SeriesImporter>();
        services.AddSingleton<SeriesComparer>();
        services.AddSingleton<Ktrdr.Jobs.Verification.IntegrityChecker>();
        services.AddSingleton<Ktrdr.Jobs.Verification.IIntegrityChecks>(sp => sp.GetRequiredService<Ktrdr.Jobs.Verification.IntegrityChecker>());
        services.AddSingleton<Ktrdr.Jobs.Verification.DataVerifier>();
        services.AddSingleton<Ktrdr.Jobs.Derived.DerivedVerifier>();
        services.AddSingleton<RunCompletion>();
        services.AddSingleton<MigrationPlanner>();
        services.AddTransient<ImportFileJob>();
        services.AddTransient<VerifyRunJob>();
        services.AddTransient<RunWatchdogJob>();
        services.AddTransient<MigrateAllJob>();
        services.AddTransient<NightlyVerifyJob>();
        return services;
    }
}
