namespace Ktrdr.Backends.Timescale;

/// <summary>One index of an existing table (primary keys and unique constraints included).</summary>
/// <param name="Name">Index name.</param>
/// <param name="IsUnique">Whether it is unique.</param>
/// <param name="Definition">Its <c>CREATE INDEX</c> statement as <c>pg_get_indexdef</c> prints it.</param>
/// <param name="Columns">Its plain columns in order (expressions are absent).</param>
/// <param name="IsPartialOrExpression">Whether it has a predicate or expressions (then it is no key of whole rows).</param>
public sealed record TableIndex(string Name, bool IsUnique, string Definition, IReadOnlyList<string> Columns, bool IsPartialOrExpression);
