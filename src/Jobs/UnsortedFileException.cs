namespace Ktrdr.Jobs;

/// <summary>A CSV file whose bars are not in ascending time order (the comparer then sorts it in memory).</summary>
internal sealed class UnsortedFileException : Exception
{
    public UnsortedFileException()
        : base("the file is not in ascending time order")
    {
    }

    public UnsortedFileException(string message)
        : base(message)
    {
    }

    public UnsortedFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
