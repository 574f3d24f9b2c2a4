using Microsoft.Extensions.Options;

namespace Conductor.Silo.Startup;

/// <summary>
/// Some settings shape the host itself (listen ports, Orleans endpoints) and are read before the container exists;
/// those are validated here, at the same point, so a bad value is reported by its validator, not by Kestrel.
/// </summary>
public static class EagerValidation
{
    public static T ReadValidated<T>(this IConfiguration configuration, IValidateOptions<T> validator)
        where T : class, new()
    {
        var options = configuration.Get<T>() ?? new T();
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        }
        return options;
    }
}
