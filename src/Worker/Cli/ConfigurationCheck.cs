using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// Resolves options so that a setting that cannot be converted (<c>DB_POOL_SIZE=abc</c>) is reported as a configuration
/// error naming the variable, its value and what is valid, instead of the binder's InvalidOperationException.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The options value, or an <see cref="ArgumentException"/> naming the first unconvertible setting.</summary>
    public static TOptions Value<TOptions>(IServiceProvider services, IConfiguration configuration)
        where TOptions : class
    {
        try
        {
            return services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (InvalidOperationException ex) when (Unconvertible(typeof(TOptions), configuration) is { } message)
        {
            throw new ArgumentException($"configuration: {message}", ex);
        }
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
                // Only non-string settings get here, and no secret is one; the guard is for a future one that is.
                var shown = key.Contains("PASSWORD", StringComparison.Ordinal) ? "(not shown)" : $"'{value}'";
                return $"{key}={shown} is not valid: use {Expected(target)}";
            }
        }

        return null;
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number (such as 10)",
        _ when type == typeof(TimeSpan) => "a duration as hh:mm:ss (such as 00:10:00)",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(double) => string.Create(CultureInfo.InvariantCulture, $"a number (such as {1.5})"),
        _ => $"a value of type {type.Name}",
    };
}
