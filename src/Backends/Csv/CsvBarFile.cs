using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;

namespace Ktrdr.Backends.Csv;

/// <summary>
/// Streams the data lines of one platform CSV file as parsed, validated and classified <see cref="CsvRow"/>s, each line
/// in three steps: parsing (text to a bar, or why the text is not one), validation (<see cref="BarValidator"/>: the rules
/// every stored bar meets) and classification (<see cref="RepeatedBarClassifier"/>: a new bar or a repeat of the one
/// before). Memory stays flat whatever the file size. Every data line yields exactly one row, so callers can account for
/// each one.
/// </summary>
public sealed class CsvBarFile : IDisposable
{
    private static readonly string[] TimeNames = ["timestamp", "date", "datetime", "time"];
    private readonly CsvReader _reader;
    private readonly RepeatedBarClassifier _repeats = new();
    private readonly int _time, _open, _high, _low, _close, _volume;

    private CsvBarFile(string path, CsvReader reader, int[] columns)
    {
        Path = path;
        _reader = reader;
        (_time, _open, _high, _low, _close, _volume) = (columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>Reason of a line whose timestamp has non-zero digits below the microsecond.</summary>
    public const string SubMicrosecond = "more precision than the database keeps (microseconds)";

    /// <summary>Data lines so far whose time of day had no offset and was read as UTC.</summary>
    public long ReadAsUtc { get; private set; }

    /// <summary>Bytes consumed so far, for progress.</summary>
    public long BytesRead => _reader.ByteOffset;

    /// <summary>
    /// Opens <paramref name="path"/> and reads its header.
    /// </summary>
    /// <exception cref="CsvFileException">
    /// The file is missing, unreadable, empty, compressed or binary (<see cref="CsvFileSniffer"/>), or has no time or
    /// price columns, or one of them twice.
    /// </exception>
    public static CsvBarFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CsvReader reader;
        try
        {
            var notText = CsvFileSniffer.NotText(path);
            if (notText is not null)
            {
                throw new CsvFileException(path, notText);
            }

            reader = CsvReader.FromFile(path, new CsvReaderOptions
            {
                Separator = ',',
                HasHeader = true,
                TrackLineNumbers = true,
                TrimWhitespace = true,
                MaxRecordSize = 1 << 20,
            });
        }
        catch (FileNotFoundException)
        {
            throw new CsvFileException(path, "file not found; check the data directory (DATA_DIR or --data-dir)");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CsvFileException(path, "directory not found; check the data directory (DATA_DIR or --data-dir)");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CsvFileException(path, Directory.Exists(path)
                ? "is a directory, not a file, so it cannot be read; rename or remove it so that no directory in the data directory ends in .csv"
                : "file cannot be read (permission denied); fix its permissions", ex);
        }
        catch (CsvFormatException ex)
        {
            throw NotText(path, ex);
        }

        try
        {
            var columns = ResolveColumns(path, reader.Headers);
            return new CsvBarFile(path, reader, columns);
        }
        catch (CsvFormatException ex)
        {
            reader.Dispose();
            throw NotText(path, ex);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The reader stops at a record over <c>MaxRecordSize</c> (or another structural fault), so a huge binary or NUL-filled
    /// file costs at most that much memory. Permanent: the file itself is wrong.
    /// </summary>
    private static CsvFileException NotText(string path, CsvFormatException ex) =>
        new(path, $"not a CSV text file: {ex.Message} (a binary, NUL-filled or corrupt file?); replace it with the platform's CSV export", ex);

    /// <summary>Reads every data line. Rejected lines carry their reason and raw text.</summary>
    /// <exception cref="CsvFileException">The file cannot be read any further (an I/O error mid-file).</exception>
    public async IAsyncEnumerable<CsvRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await _reader.ReadAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new CsvFileException(Path, $"read failed after line {_reader.LineNumber}: {ex.Message}", ex);
            }
            catch (CsvFormatException ex)
            {
                throw NotText(Path, ex);
            }

            if (!more)
            {
                yield break;
            }

            yield return Classify(Validate(ParseCurrent()));
        }
    }

    public void Dispose() => _reader.Dispose();

    // Parsing: the fields of the current record as a bar, or why they are not one (the rules a bar must meet are Validate's).
    // The per-row paths (here, in CsvNumber, CsvTimestamp, BarValidator and the COPY encoders) are compiled optimized
    // at once: tiered compilation runs new code unoptimized first and promotes it only once start-up settles, which in
    // a worker that has just started is the whole first file (measured: its import took twice as long).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CsvRow ParseCurrent()
    {
        var line = _reader.LineNumber;
        var bytesProblem = CsvLineBytes.Problem(_reader.RawRecord);
        if (bytesProblem is not null)
        {
            return new CsvRow(line, CsvRowKind.Rejected, default, bytesProblem, CsvLineBytes.Escape(_reader.RawRecord), false);
        }

        if (_reader.FieldCount < 6)
        {
            return Reject(line, $"expected 6 fields, found {_reader.FieldCount}", default);
        }

        if (!CsvTimestamp.TryParse(_reader.GetSpan(_time), out var time, out var notes))
        {
            return Reject(line, _reader.IsEmpty(_time) ? "empty field 'timestamp'" : "unparseable timestamp", default);
        }

        if ((notes & CsvTimestampNotes.SubMicrosecond) != 0)
        {
            // Rounding to the microsecond would store another time than the file's, and verification would then
            // compare against the rounded value: refused, never altered silently.
            return Reject(line, SubMicrosecond, default);
        }

        if ((notes & CsvTimestampNotes.ReadAsUtc) != 0)
        {
            ReadAsUtc++;
        }

        if (!TryNumber(_open, "open", out var open, out var error) || !TryNumber(_high, "high", out var high, out error)
            || !TryNumber(_low, "low", out var low, out error) || !TryNumber(_close, "close", out var close, out error)
            || !TryNumber(_volume, "volume", out var volume, out error))
        {
            return Reject(line, error!, new Bar(time, 0, 0, 0, 0, 0));
        }

        return new CsvRow(line, CsvRowKind.Bar, new Bar(time, open, high, low, close, volume), null, null, false);
    }

    /// <summary>A parsed bar that breaks a rule of <see cref="BarValidator"/> is rejected; the -1 "no volume" marker is stored as 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CsvRow Validate(in CsvRow parsed)
    {
        if (parsed.Kind != CsvRowKind.Bar)
        {
            return parsed;
        }

        var reason = BarValidator.Check(parsed.Bar);
        if (reason is not null)
        {
            return Reject(parsed.Line, reason, parsed.Bar);
        }

        return parsed.Bar.Volume == BarValidator.NoVolumeSentinel ? parsed with { Bar = parsed.Bar with { Volume = 0 }, VolumeNormalized = true } : parsed;
    }

    /// <summary>A valid bar that repeats the one before is a duplicate when equal and rejected when not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CsvRow Classify(in CsvRow valid) =>
        valid.Kind != CsvRowKind.Bar
            ? valid
            : _repeats.Classify(valid.Bar) switch
            {
                CsvRowKind.Bar => valid,
                CsvRowKind.Duplicate => valid with { Kind = CsvRowKind.Duplicate },
                _ => Reject(valid.Line, RepeatedBarClassifier.DifferentValues, valid.Bar),
            };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryNumber(int index, string name, out double value, out string? error)
    {
        var span = _reader.GetSpan(index);
        if (span.IsEmpty)
        {
            value = 0;
            error = $"empty field '{name}'";
            return false;
        }

        if (!CsvNumber.TryParse(span, out value))
        {
            error = $"'{name}' is not a number";
            return false;
        }

        error = null;
        return true;
    }

    private CsvRow Reject(long line, string reason, Bar bar) =>
        new(line, CsvRowKind.Rejected, bar, reason, Encoding.UTF8.GetString(_reader.RawRecord), false);

    private static int[] ResolveColumns(string path, IReadOnlyList<string> headers)
    {
        if (headers.Count == 0)
        {
            throw new CsvFileException(path, "file is empty: expected a header such as 'timestamp,open,high,low,close,volume'");
        }

        var names = headers.Select(h => h.Trim().Trim('\uFEFF').ToLowerInvariant()).ToArray();
        var time = Array.FindIndex(names, n => TimeNames.Contains(n));
        if (time < 0 && names[0].Length == 0)
        {
            time = 0; // pandas writes an unnamed index column for the time
        }

        var columns = new[] { time, Find("open"), Find("high"), Find("low"), Find("close"), Find("volume") };
        foreach (var used in columns.Where(c => c >= 0 && names[c].Length > 0))
        {
            // Which of two equal columns holds the values is a guess either way: the file must say.
            var twice = Array.FindIndex(names, used + 1, n => n == names[used]);
            if (twice >= 0)
            {
                throw new CsvFileException(path, string.Create(CultureInfo.InvariantCulture,
                    $"header '{string.Join(',', headers)}' has column '{names[used]}' twice (columns {used + 1} and {twice + 1}); remove or rename one of them"));
            }
        }

        if (columns.Any(c => c < 0))
        {
            string[] wanted = ["timestamp", "open", "high", "low", "close", "volume"];
            var missing = wanted.Where((_, i) => columns[i] < 0);
            throw new CsvFileException(path,
                $"header '{string.Join(',', headers)}' lacks column(s) {string.Join(", ", missing)}; " +
                "expected 'timestamp|date|(empty),open,high,low,close,volume' separated by commas");
        }

        return columns;

        int Find(string name) => Array.IndexOf(names, name);
    }
}
