using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Called inside a batch's transaction, after its bars are written and before it commits: whatever the callee writes
/// on <paramref name="connection"/> (a resume point, say) commits or rolls back together with the bars.
/// </summary>
/// <param name="connection">The batch's connection, its transaction open.</param>
/// <param name="result">What the batch did with its bars.</param>
/// <param name="cancellationToken">Stops the batch; nothing of it is committed.</param>
public delegate Task BatchCommitting(NpgsqlConnection connection, SaveResult result, CancellationToken cancellationToken);
