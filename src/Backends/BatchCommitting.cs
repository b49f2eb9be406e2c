using System.Data.Common;

namespace Ktrdr.Backends;

/// <summary>
/// Called inside a batch's transaction, after its bars are written and before it commits: whatever the callee writes
/// on <paramref name="connection"/> (a resume point, say) commits or rolls back together with the bars. If it throws,
/// nothing of the batch is stored.
/// </summary>
/// <param name="connection">The batch's connection, its transaction open.</param>
/// <param name="result">What the batch did with its bars.</param>
/// <param name="cancellationToken">Stops the batch; nothing of it is committed.</param>
public delegate Task BatchCommitting(DbConnection connection, SaveResult result, CancellationToken cancellationToken);
