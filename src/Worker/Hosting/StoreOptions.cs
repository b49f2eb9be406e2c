using Ktrdr.Backends;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// <c>DB_TYPE</c>: which store readers use, the host's choice. The seed's values stay accepted, in any case: <c>csv</c>
/// (the default) and <c>postgresql</c>; in code the choice is a <see cref="StoreKind"/>.
/// </summary>
internal sealed class StoreOptions
{
    /// <summary>The values <c>DB_TYPE</c> accepts, for messages.</summary>
    public const string AcceptedValues = "'csv' (the default) or 'postgresql'";

    [ConfigurationKeyName("DB_TYPE")]
    public string? Type { get; set; }

    /// <summary>The store <see cref="Type"/> names; null when it names none.</summary>
    public StoreKind? Kind => Type switch
    {
        null or "" => StoreKind.Csv,
        _ when string.Equals(Type, "csv", StringComparison.OrdinalIgnoreCase) => StoreKind.Csv,
        _ when string.Equals(Type, "postgresql", StringComparison.OrdinalIgnoreCase) => StoreKind.Timescale,
        _ => null,
    };

    /// <summary>The store in force; only valid once the options have been validated.</summary>
    /// <exception cref="InvalidOperationException">DB_TYPE names no store (validation would have refused it).</exception>
    public StoreKind Store => Kind ?? throw new InvalidOperationException(Error);

    /// <summary>Null when <see cref="Type"/> is valid, else a message naming the setting, its value and the accepted values.</summary>
    public string? Error => Kind is null ? $"DB_TYPE='{Type}' is not supported: use {AcceptedValues}" : null;
}
