using Microsoft.Extensions.Options;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Refuses <see cref="TimescaleOptions"/> with a bad value, saying which variable, its value and what is valid (a
/// validator of its own, not data annotations, so that the message is the variable's and not the property's).
/// </summary>
public sealed class TimescaleOptionsValidator : IValidateOptions<TimescaleOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TimescaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
