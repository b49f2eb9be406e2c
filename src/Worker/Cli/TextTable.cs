namespace Ktrdr.Worker.Cli;

/// <summary>A plain text table for stdout: columns padded to their widest cell, numbers right-aligned.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row has {cells.Length} cells, the table {headers.Length} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    public async Task WriteAsync(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var numeric = headers.Select((_, i) => _rows.Count > 0 && _rows.All(r => r[i].Length > 0 && r[i].All(c => char.IsDigit(c) || c is ',' or '.' or '-'))).ToArray();
        await output.WriteLineAsync(Line(headers));
        foreach (var row in _rows)
        {
            await output.WriteLineAsync(Line(row));
        }

        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
    }
}
