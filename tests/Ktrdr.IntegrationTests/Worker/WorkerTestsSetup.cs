namespace Ktrdr.Tests.Worker;

/// <summary>Removes the shared sample files of the cutover tests after they ran.</summary>
[SetUpFixture]
public sealed class WorkerTestsSetup
{
    [OneTimeTearDown]
    public void DeleteSampleFiles() => MigratedStore.Delete();
}
