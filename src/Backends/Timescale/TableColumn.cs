namespace Ktrdr.Backends.Timescale;

/// <summary>One column of an existing table, as the catalog describes it.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Its type as PostgreSQL prints it (<c>character varying(32)</c>).</param>
/// <param name="MaxLength">For <c>varchar(n)</c>/<c>char(n)</c>: n characters; null when unbounded.</param>
/// <param name="Default">The default expression, or null.</param>
/// <param name="NotNull">Whether it is NOT NULL.</param>
public sealed record TableColumn(string Name, string Type, int? MaxLength, string? Default, bool NotNull);
