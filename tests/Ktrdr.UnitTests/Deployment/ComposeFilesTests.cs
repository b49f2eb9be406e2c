using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Ktrdr.Tests.Deployment;

/// <summary>
/// Keeps docker/ honest without a Docker engine: the compose files parse, hold TimescaleDB (the official image), the
/// worker with DB_TYPE=postgresql and health checks, and Jaeger receiving OTLP; and every variable they give the worker
/// is one the worker reads. <c>docker compose config</c> (or docker-compose) must accept them.
/// </summary>
public sealed class ComposeFilesTests
{
    /// <summary>Read by the OpenTelemetry SDK's OTLP exporter itself, not by our code.</summary>
    private static readonly string[] OpenTelemetrySdkVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME"];

    private static readonly string Root = WorkerSettings.RepositoryRoot;

    public static IEnumerable<string> ComposeFiles => ["docker/docker-compose.yml", "docker/docker-compose.dev.yml"];

    [TestCaseSource(nameof(ComposeFiles))]
    public void Compose_file_runs_timescaledb_the_worker_on_postgresql_with_health_checks_and_jaeger(string file)
    {
        var services = Services(file);

        Assert.That(Scalar(services, "timescaledb", "image"), Does.StartWith("timescale/timescaledb:"));
        Assert.That(Sequence(services["timescaledb"], "healthcheck", "test"), Has.Some.Contains("pg_isready"));
        var worker = Environment(services, "worker");
        Assert.That(worker["DB_TYPE"], Is.EqualTo("postgresql"));
        Assert.That(Sequence(services["worker"], "healthcheck", "test"), Has.Some.EqualTo("http://127.0.0.1:5080/health"));
        Assert.That(worker["ASPNETCORE_URLS"], Does.EndWith(":5080"), "the health check probes the port the worker listens on");
        Assert.That(Scalar(services, "worker", "depends_on", "timescaledb", "condition"), Is.EqualTo("service_healthy"));
        Assert.That(Scalar(services, "worker", "depends_on", "db-migrate", "condition"), Is.EqualTo("service_completed_successfully"));
        Assert.That(Sequence(services["db-migrate"], "command"), Is.EqualTo(new[] { "db", "migrate" }));
        Assert.That(Scalar(services, "jaeger", "image"), Does.StartWith("jaegertracing/"));
        Assert.That(Environment(services, "jaeger")["COLLECTOR_OTLP_ENABLED"], Is.EqualTo("true"));
        Assert.That(worker["OTEL_EXPORTER_OTLP_ENDPOINT"], Is.EqualTo("http://jaeger:4317"));
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void The_worker_connects_to_the_database_the_compose_file_creates(string file)
    {
        var services = Services(file);
        var worker = Environment(services, "worker");
        var database = Environment(services, "timescaledb");

        Assert.That(worker["DB_HOST"], Is.EqualTo("timescaledb"));
        Assert.That(worker["DB_PORT"], Is.EqualTo("5432"));
        Assert.That(worker["DB_NAME"], Is.EqualTo(database["POSTGRES_DB"]));
        Assert.That(worker["DB_USER"], Is.EqualTo(database["POSTGRES_USER"]));
        Assert.That(worker["DB_PASSWORD"], Is.EqualTo(database["POSTGRES_PASSWORD"]));
        Assert.That(Environment(services, "db-migrate"), Is.EqualTo(worker), "the schema is applied with the worker's own settings");
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void The_worker_listening_beyond_loopback_is_given_the_credentials_serve_requires_there(string file)
    {
        var worker = Environment(Services(file), "worker");
        Assert.That(worker["ASPNETCORE_URLS"], Does.Contain("0.0.0.0"));
        Assert.That(worker, Does.ContainKey("KTRDR_DASHBOARD_USER").And.ContainKey("KTRDR_DASHBOARD_PASSWORD"),
            "serve refuses to listen beyond loopback without credentials");
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public void Every_variable_given_to_the_worker_is_one_the_worker_reads(string file)
    {
        var read = WorkerSettings.Read().Concat(OpenTelemetrySdkVariables).ToHashSet();
        Assert.That(read, Does.Contain("DB_TYPE").And.Contain("DATA_DIR").And.Contain("KTRDR_REPORT_DIR"), "the scan of src/ found the settings");

        Assert.That(Environment(Services(file), "worker").Keys, Is.SubsetOf(read));
    }

    [Test]
    public void The_dockerfile_publishes_the_worker_and_probes_the_health_endpoint()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "docker", "Dockerfile"));
        var publish = Regex.Match(dockerfile, @"dotnet publish (\S+\.csproj)").Groups[1].Value;

        Assert.That(File.Exists(Path.Combine(Root, publish)), Is.True, $"docker/Dockerfile publishes {publish}, which does not exist");
        Assert.That(File.ReadAllText(Path.Combine(Root, publish)), Does.Contain("<AssemblyName>ktrdr</AssemblyName>"));
        Assert.That(dockerfile, Does.Contain("""ENTRYPOINT ["dotnet", "/app/ktrdr.dll"]"""));
        Assert.That(dockerfile, Does.Contain("ASPNETCORE_URLS=http://0.0.0.0:5080").And.Contain("EXPOSE 5080").And.Contain("http://127.0.0.1:5080/health"));
        Assert.That(dockerfile, Does.Match(@"FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0"));
    }

    [TestCaseSource(nameof(ComposeFiles))]
    public async Task Docker_compose_config_accepts_the_file(string file)
    {
        // The compose plugin when there is one, else Debian's docker-compose (which ./ktrdr test and .ci/run install).
        // Neither needs a Docker engine for 'config'.
        string[] command = (await RunAsync("docker", "compose", "version")).ExitCode == 0 ? ["docker", "compose"] : ["docker-compose"];
        var config = await RunAsync(command[0], [.. command[1..], "-f", Path.Combine(Root, file), "config", "--quiet"]);
        Assert.That(config.ExitCode, Is.EqualTo(0), $"{string.Join(' ', command)} config rejected {file} (install docker-compose if it is missing): {config.Output}");
    }

    private static YamlMappingNode Services(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, file)))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }

    private static Dictionary<string, string> Environment(YamlMappingNode services, string service) =>
        ((YamlMappingNode)((YamlMappingNode)services[service])["environment"]).Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "");

    private static string? Scalar(YamlMappingNode node, params string[] path) =>
        path.Aggregate<string, YamlNode>(node, (n, key) => ((YamlMappingNode)n)[key]) is YamlScalarNode scalar ? scalar.Value : null;

    private static IEnumerable<string> Sequence(YamlNode node, params string[] path) =>
        ((YamlSequenceNode)path.Aggregate(node, (n, key) => ((YamlMappingNode)n)[key])).Children.Select(c => ((YamlScalarNode)c).Value ?? "");

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["DB_PASSWORD"] = "compose-config-check";
            info.Environment["KTRDR_DASHBOARD_PASSWORD"] = "compose-config-check"; // required like DB_PASSWORD
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file} not found: {ex.Message}");
        }
    }
}
