namespace Ktrdr.Jobs;

/// <summary>
/// An import that failed for good: a permanent fault (bad file, bad data the server refuses) or the last attempt.
/// Hangfire's retry filter is told not to retry it.
/// </summary>
public sealed class ImportFailedException : Exception
{
    public ImportFailedException()
    {
    }

    public ImportFailedException(string message)
        : base(message)
    {
    }

    public ImportFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
