using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs;

/// <summary>
/// The good bars of a batch, in an array taken from <paramref name="spare"/> and put back on <see cref="Dispose"/> for
/// the next import. A batch holds up to a million bars (48 MB): arrays that size live on the large object heap, which the
/// worker's non-concurrent workstation GC gives back late, so a fresh list per file made a migration's peak memory
/// double (measured with <c>./ktrdr bench --imports</c>). With the arrays kept, memory stays at one array per import
/// running at once, as large as the largest batch, and no file after the first allocates any. The shared
/// <c>ArrayPool</c> was tried first: it keeps a copy per thread, and an import's continuations run on many threads.
/// </summary>
/// <param name="spare">Arrays of imports that ended; at most one per import running at once.</param>
/// <param name="maxCount">The most bars a batch can hold (<see cref="MigrationOptions.BatchRows"/>).</param>
internal sealed class PooledBarList(ConcurrentBag<Bar[]> spare, int maxCount) : IReadOnlyList<Bar>, IDisposable
{
    private const int FirstCapacity = 1 << 16;
    private Bar[] _items = spare.TryTake(out var kept) ? kept : new Bar[Math.Min(maxCount, FirstCapacity)];

    public int Count { get; private set; }

    public Bar this[int index] => (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in Bar bar)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = bar;
    }

    public void Clear() => Count = 0;

    public IEnumerator<Bar> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        var items = _items;
        (_items, Count) = ([], 0);
        if (items.Length > 0)
        {
            spare.Add(items);
        }
    }

    private void Grow()
    {
        var bigger = new Bar[Math.Max(Math.Min(maxCount, _items.Length * 2), _items.Length + 1)];
        Array.Copy(_items, bigger, Count);
        _items = bigger;
    }
}
