using System.Globalization;

namespace Conductor.Silo.Startup;

/// <summary>
/// Reads a duration from an environment-style setting: <c>15s</c>, <c>500ms</c>, <c>5m</c>, <c>1h</c>, or a plain
/// number of seconds. Kubernetes manifests write durations this way, so the agent reads them the same way.
/// </summary>
public static class DurationSetting
{
    /// <summary>
    /// The value of <paramref name="variable"/>, or <paramref name="fallback"/> when unset. An unreadable value is
    /// added to <paramref name="unreadable"/> (for the validator to report) and the fallback is returned.
    /// </summary>
    public static TimeSpan Read(IConfiguration configuration, string variable, TimeSpan fallback, ICollection<string> unreadable)
    {
        var text = configuration[variable];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (TryParse(text.Trim(), out var value))
        {
            return value;
        }
        unreadable.Add($"{variable} '{text}' is not a duration: write it like 15s, 500ms, 5m or a number of seconds.");
        return fallback;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        var (digits, unit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            value = TimeSpan.FromSeconds(number * unit);
            return true;
        }
        value = default;
        return false;
    }
}
