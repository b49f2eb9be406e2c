using System.CommandLine;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>--fail-on quality</c> of <c>migrate</c>, <c>verify</c> and <c>data quality</c>: data-quality findings, warnings
/// otherwise, make the command exit 1.
/// </summary>
internal static class FailOn
{
    public const string Quality = "quality";

    public static Option<string?> Create() =>
        new("--fail-on") { Description = "'quality': exit 1 when the data-quality checks find anything (they are warnings otherwise)" };

    /// <summary>The value of the option, checked (a usage error, exit 2, names the valid value).</summary>
    public static string? Value(ParseResult parse, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var value = parse.GetValue(option);
        return value is null or Quality ? value : throw new ArgumentException($"--fail-on '{value}' is not known: use --fail-on quality");
    }
}
