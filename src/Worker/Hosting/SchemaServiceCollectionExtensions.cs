using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Schema;

namespace Ktrdr.Worker.Hosting;

internal static class SchemaServiceCollectionExtensions
{
    /// <summary>
    /// The owners of tables besides <c>price_data</c>, applied by <see cref="SchemaMigrator"/> in this order. Every
    /// process registers them, with or without the job services, so that <c>db status</c> and <c>db migrate</c> see the
    /// whole schema.
    /// </summary>
    public static IServiceCollection AddKtrdrSchema(this IServiceCollection services)
    {
        services.AddSingleton<ISchemaPart, JobsSchema>();
        return services;
    }
}
