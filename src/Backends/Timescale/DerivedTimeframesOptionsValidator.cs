using Microsoft.Extensions.Options;

namespace Ktrdr.Backends.Timescale;

/// <summary>Refuses <see cref="DerivedTimeframesOptions"/> with a bad value, naming the variable, its value and what is valid.</summary>
public sealed class DerivedTimeframesOptionsValidator : IValidateOptions<DerivedTimeframesOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DerivedTimeframesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
