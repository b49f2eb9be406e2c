using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ktrdr.Bench;

/// <summary>The data source the worker would build from the same DB_* variables.</summary>
internal static class BenchDatabase
{
    public static NpgsqlDataSource Open()
    {
        var options = new ConfigurationBuilder().AddEnvironmentVariables().Build().Get<DatabaseOptions>() ?? new DatabaseOptions();
        return new NpgsqlDataSourceBuilder(options.BuildConnectionString()).Build();
    }

    /// <summary>The derived timeframes of KTRDR_DERIVED_TIMEFRAMES, as the worker reads them.</summary>
    public static DerivedSeriesReader Derived() => new(Microsoft.Extensions.Options.Options.Create(
        new ConfigurationBuilder().AddEnvironmentVariables().Build().Get<DerivedTimeframesOptions>() ?? new DerivedTimeframesOptions()));
}
