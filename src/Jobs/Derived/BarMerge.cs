using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Jobs.Derived;

/// <summary>Two series in time order walked together: each timestamp once, with the bar of each side that has it.</summary>
public static class BarMerge
{
    /// <summary>
    /// Each timestamp of <paramref name="left"/> and <paramref name="right"/> (both in ascending time order) once, in
    /// order, with the bar of each side that has it (null for the side that does not). Reads each side once.
    /// </summary>
    public static async IAsyncEnumerable<(Bar? Left, Bar? Right)> JoinAsync(IAsyncEnumerable<Bar> left, IAsyncEnumerable<Bar> right,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        await using var l = left.GetAsyncEnumerator(cancellationToken);
        await using var r = right.GetAsyncEnumerator(cancellationToken);
        var hasL = await l.MoveNextAsync();
        var hasR = await r.MoveNextAsync();
        while (hasL || hasR)
        {
            if (hasL && (!hasR || l.Current.Time < r.Current.Time))
            {
                yield return (l.Current, null);
                hasL = await l.MoveNextAsync();
            }
            else if (hasR && (!hasL || r.Current.Time < l.Current.Time))
            {
                yield return (null, r.Current);
                hasR = await r.MoveNextAsync();
            }
            else
            {
                yield return (l.Current, r.Current);
                hasL = await l.MoveNextAsync();
                hasR = await r.MoveNextAsync();
            }
        }
    }
}
