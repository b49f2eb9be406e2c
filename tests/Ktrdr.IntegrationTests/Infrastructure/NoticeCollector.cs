using Microsoft.Extensions.Logging;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps the server notices Npgsql logs ("Received notice: ..."), such as the plans
/// auto_explain sends back. Also compiled into bench/Ktrdr.Bench, which shows the plan of the reads it times.
/// </summary>
internal sealed class NoticeCollector(List<string> notices) : ILoggerProvider, ILogger
{
    private const string Prefix = "Received notice:";

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        if (message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            lock (notices)
            {
                notices.Add(message[Prefix.Length..].Trim());
            }
        }
    }

    public void Dispose()
    {
    }
}
