using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

/// <summary>Refuses a <c>DB_TYPE</c> that is neither <c>csv</c> nor <c>postgresql</c>, naming the valid values.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.TypeError is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
