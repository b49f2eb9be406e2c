namespace Ktrdr.Backends;

/// <summary>One OHLCV bar. <see cref="Time"/> is always UTC.</summary>
public readonly record struct Bar(DateTime Time, double Open, double High, double Low, double Close, double Volume);
