using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

/// <summary>Refuses a <c>DB_TYPE</c> that names no store, naming the setting and the accepted values.</summary>
internal sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
