namespace Ktrdr.Backends.Csv;

/// <summary>
/// A CSV file that cannot be imported at all (missing, unreadable, no time or price columns). Permanent: retrying
/// does not help until the file is fixed, so jobs fail at once instead of retrying.
/// </summary>
public sealed class CsvFileException : Exception
{
    public CsvFileException(string path, string message)
        : base($"{path}: {message}") => FilePath = path;

    public CsvFileException(string path, string message, Exception inner)
        : base($"{path}: {message}", inner) => FilePath = path;

    public CsvFileException()
    {
    }

    public CsvFileException(string message)
        : base(message)
    {
    }

    public string FilePath { get; } = "";
}
