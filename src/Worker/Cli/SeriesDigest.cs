using System.Security.Cryptography;
using System.Text;
using Ktrdr.Backends;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// A fingerprint of a bar sequence: the count, first and last time, and a SHA-256 of every bar's text (exact values,
/// shortest round-trip form). Two sequences with equal digests hold the same bars in the same order.
/// </summary>
internal sealed class SeriesDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Count { get; private set; }

    public DateTime? First { get; private set; }

    public DateTime? Last { get; private set; }

    public void Add(in Bar bar) => AddLine(BarText.Line(bar), bar.Time);

    /// <summary>Adds a line in <see cref="BarText"/> form as it came over the wire.</summary>
    public void AddLine(string line, DateTime time)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        First ??= time;
        Last = time;
        Count++;
    }

    public string Finish() => $"{Count}:{Convert.ToHexString(_hash.GetHashAndReset())}";

    public void Dispose() => _hash.Dispose();
}
