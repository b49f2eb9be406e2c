namespace Ktrdr.Worker.Cli;

/// <summary>The database stayed unreachable longer than KTRDR_DB_OUTAGE_DEADLINE; the message says how to finish the run.</summary>
internal sealed class DatabaseOutageException(string message, Exception innerException) : Exception(message, innerException);
