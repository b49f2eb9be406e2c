using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests;

/// <summary>Stops the servers the run started; in the root namespace so that it wraps every test.</summary>
[SetUpFixture]
public sealed class TestRunSetup
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await PostgresServer.StopAsync();
    }
}
