using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// Validates every options type of a host at once (what <c>ValidateOnStart</c> does when a host starts), before a
/// command does any work, and says what is wrong in the operator's terms: the variable's name, its value unless it is a
/// secret, and what is valid (<c>DB_POOL_SIZE='abc' is not valid: use a whole number</c>), instead of the binder's
/// InvalidOperationException or a property name such as <c>WorkerCount</c>.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>Runs the host's start validation.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; the message names it and what to do (exit 2).</exception>
    public static void Validate(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var configuration = services.GetRequiredService<IConfiguration>();
        var types = services.GetRequiredService<SettingsTypes>().Types;
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (InvalidOperationException ex) when (types.Select(t => Unconvertible(t, configuration)).FirstOrDefault(m => m is not null) is { } message)
        {
            throw new ArgumentException($"configuration: {message}", ex);
        }
        catch (OptionsValidationException ex)
        {
            throw new ArgumentException($"configuration: {Describe([ex], configuration)}", ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new ArgumentException($"configuration: {Describe(ex.InnerExceptions.Cast<OptionsValidationException>(), configuration)}", ex);
        }
    }

    /// <summary>
    /// The failures, those of a data annotation restated with the variable's name: validating the bound options again
    /// gives each failure's property, whose <see cref="ConfigurationKeyNameAttribute"/> is the variable.
    /// </summary>
    private static string Describe(IEnumerable<OptionsValidationException> failures, IConfiguration configuration)
    {
        var described = new List<string>();
        foreach (var failure in failures)
        {
            var annotated = Annotated(failure.OptionsType, configuration);
            foreach (var message in failure.Failures)
            {
                var match = annotated.FindIndex(a => message.Contains(a.Error, StringComparison.Ordinal));
                described.Add(match < 0 ? message : annotated[match].Described);
            }
        }

        return string.Join("; ", described);
    }

    private static List<(string Error, string Described)> Annotated(Type type, IConfiguration configuration)
    {
        var results = new List<ValidationResult>();
        if (configuration.Get(type) is not { } options)
        {
            return [];
        }

        _ = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Where(r => r.ErrorMessage is not null).Select(r => (r.ErrorMessage!, Restate(type, r, configuration))).ToList();
    }

    /// <summary>
    /// The annotation's message without the framework's wrapping ("DataAnnotation validation failed for ..."): as it is
    /// when it names the variable itself (<c>DB_PORT must be ...</c>), else with the variable and its value.
    /// </summary>
    private static string Restate(Type type, ValidationResult result, IConfiguration configuration)
    {
        var property = result.MemberNames.Select(type.GetProperty).FirstOrDefault(p => p is not null);
        if (property?.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name is not { } key || result.ErrorMessage!.Contains(key, StringComparison.Ordinal))
        {
            return result.ErrorMessage!;
        }

        var error = result.ErrorMessage!.Replace($"The field {property.Name}", key, StringComparison.Ordinal)
            .Replace($"The {property.Name} field", $"{key}", StringComparison.Ordinal);
        return $"{key}={Shown(key, configuration[key])} is not valid: {error}";
    }

    /// <summary>The first setting of <paramref name="type"/> whose value does not convert to its property's type, described.</summary>
    private static string? Unconvertible(Type type, IConfiguration configuration)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name;
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (key is null || target == typeof(string) || configuration[key] is not { } value)
            {
                continue;
            }

            try
            {
                _ = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
            {
                return $"{key}={Shown(key, value)} is not valid: use {Expected(target)}";
            }
        }

        return null;
    }

    // Passwords and connection strings (which may hold one) are never shown.
    private static string Shown(string key, string? value) =>
        key.Contains("PASSWORD", StringComparison.Ordinal) || key.Contains("CONNECTION", StringComparison.Ordinal) || key == "KTRDR_HANGFIRE_DB"
            ? "(not shown)"
            : $"'{value}'";

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number (such as 10)",
        _ when type == typeof(TimeSpan) => "a duration as hh:mm:ss (such as 00:10:00)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(double) => string.Create(CultureInfo.InvariantCulture, $"a number (such as {1.5})"),
        _ => $"a value of type {type.Name}",
    };
}
