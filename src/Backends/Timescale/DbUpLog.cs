using System.Globalization;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Backends.Timescale;

/// <summary>DbUp's output into the worker's log; its per-script chatter at Debug.</summary>
internal sealed class DbUpLog(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => logger.LogTrace("{DbUp}", Format(format, args));

    public void LogDebug(string format, params object[] args) => logger.LogDebug("{DbUp}", Format(format, args));

    public void LogInformation(string format, params object[] args) => logger.LogDebug("{DbUp}", Format(format, args));

    public void LogWarning(string format, params object[] args) => logger.LogWarning("{DbUp}", Format(format, args));

    public void LogError(string format, params object[] args) => logger.LogError("{DbUp}", Format(format, args));

    public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{DbUp}", Format(format, args));

    private static string Format(string format, object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
