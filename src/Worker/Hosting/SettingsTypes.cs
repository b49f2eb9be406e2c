using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The options types a host binds from its configuration (each <c>BindConfiguration</c> registers a change-token
/// source for its type), read from the finished service collection: <see cref="ConfigurationCheck"/> names the variable
/// of a value that none of them could convert.
/// </summary>
internal sealed class SettingsTypes(IServiceCollection services)
{
    public IReadOnlyList<Type> Types { get; } = services
        .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
        .Select(d => d.ServiceType.GetGenericArguments()[0])
        .Distinct()
        .ToList();
}
