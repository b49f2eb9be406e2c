using System.Runtime.CompilerServices;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// The last step of reading a file, after parsing and validation: tells a bar from a repeat of the bar before it. A good
/// bar with the same time as the last one kept is an exact repeat (nothing new to store) or, with other values, a
/// contradiction only the file's owner can resolve. Only neighbours are compared, so memory stays flat; a repeat further
/// away reaches the writer, which counts it present or conflicting.
/// </summary>
internal sealed class RepeatedBarClassifier
{
    /// <summary>Reason of a line whose timestamp repeats the line before with other values.</summary>
    public const string DifferentValues = "timestamp repeated within the file with different values";

    private Bar _previous;
    private bool _hasPrevious;

    /// <summary>
    /// <see cref="CsvRowKind.Bar"/> for a new bar (kept as the one to compare the next with), <see cref="CsvRowKind.Duplicate"/>
    /// for an exact repeat, <see cref="CsvRowKind.Rejected"/> for a repeat with other values (<see cref="DifferentValues"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CsvRowKind Classify(in Bar bar)
    {
        if (_hasPrevious && bar.Time == _previous.Time)
        {
            return bar == _previous ? CsvRowKind.Duplicate : CsvRowKind.Rejected;
        }

        _previous = bar;
        _hasPrevious = true;
        return CsvRowKind.Bar;
    }
}
