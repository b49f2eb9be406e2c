using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs.Quality;

/// <summary>Checks at start that the rules file, when given, reads and parses (a bad rule is a configuration error).</summary>
public sealed class QualityOptionsValidator : IValidateOptions<QualityOptions>
{
    public ValidateOptionsResult Validate(string? name, QualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            _ = QualityRules.Load(options.RulesFile);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
