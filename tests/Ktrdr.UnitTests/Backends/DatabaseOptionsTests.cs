using Ktrdr.Backends.Timescale;

namespace Ktrdr.Tests.Backends;

public sealed class DatabaseOptionsTests
{
    [Test]
    public void The_password_never_appears_in_the_description()
    {
        var options = new DatabaseOptions { Host = "db", Password = "s3cret-pw" };
        Assert.That(options.Describe(), Does.Not.Contain("s3cret-pw"));
        Assert.That(options.ToString(), Does.Not.Contain("s3cret-pw"));
        Assert.That(options.BuildConnectionString(), Does.Contain("s3cret-pw"));
    }

    [Test]
    public void Pool_size_is_pool_plus_overflow()
    {
        var options = new DatabaseOptions { PoolSize = 7, MaxOverflow = 3 };
        Assert.That(options.BuildConnectionString(), Does.Contain("Maximum Pool Size=10"));
    }
}
