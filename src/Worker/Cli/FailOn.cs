using System.CommandLine;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>--fail-on quality</c> of <c>migrate</c>, <c>verify</c> and <c>data quality</c>: data-quality findings, warnings
/// otherwise, make the command exit 1.
/// </summary>
internal static class FailOn
{
    public const string Quality = "quality";

    public static Option<string?> Create()
    {
        var option = new Option<string?>("--fail-on") { Description = "'quality': exit 1 when the data-quality checks find anything (they are warnings otherwise)" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && value != Quality)
            {
                result.AddError($"--fail-on '{value}' is not known: use --fail-on quality");
            }
        });
        return option;
    }
}
