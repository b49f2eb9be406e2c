namespace Ktrdr.Backends;

/// <summary>First and last bar time of a series (both inclusive, UTC) and its bar count.</summary>
public sealed record DateRange(DateTime First, DateTime Last, long Count);
