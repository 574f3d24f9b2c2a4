using Microsoft.Extensions.Options;

namespace Conductor.Silo.Startup;

/// <summary>
/// Some settings shape the host itself (listen ports, Orleans endpoints) and are read before the container exists;
/// those are validated here, at the same point, so a bad value is reported by its validator, not by Kestrel.
/// </summary>
public static class EagerValidation
{
    /// <summary>
    /// Returns <paramref name="options"/> (bound by the caller: with the concrete type at the call, the binding is
    /// generated at compile time) or throws <see cref="OptionsValidationException"/> with every failure.
    /// </summary>
    public static T Validated<T>(this T options, IValidateOptions<T> validator)
        where T : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        }
        return options;
    }
}
