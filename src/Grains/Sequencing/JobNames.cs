using System.Security.Cryptography;
using System.Text;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Deterministic, DNS-safe names and label values. A step attempt always gets the same Job name, so a second create
/// after a restart meets 409 AlreadyExists instead of a second Job. The name ends with a hash of the RunnerConfig's
/// namespace, name and UID, the step and the attempt: readable prefixes can collide ("a-b"+"c" and "a"+"b-c"), and a
/// RunnerConfig deleted and created again must not adopt the old incarnation's Jobs or result ConfigMaps.
/// </summary>
public static class JobNames
{
    public const int MaxNameLength = 63;
    private const int HashLength = 8;

    public static string For(string @namespace, string runnerConfig, string uid, string step, int attempt)
    {
        var hash = Hash($"{@namespace}/{runnerConfig}/{uid}/{step}/{attempt}");
        var suffix = $"-{attempt}-{hash}";
        var readable = Sanitize($"{runnerConfig}-{step}");
        var prefix = readable.Length > MaxNameLength - suffix.Length ? readable[..(MaxNameLength - suffix.Length)].TrimEnd('-') : readable;
        return (prefix.Length == 0 ? "step" : prefix) + suffix;
    }

    /// <summary>The value itself when Kubernetes accepts it as a label value, otherwise a truncated form with a hash.</summary>
    public static string LabelValue(string value)
    {
        if (IsLabelValue(value))
        {
            return value;
        }
        var sanitized = Sanitize(value);
        var room = MaxNameLength - HashLength - 1;
        var prefix = sanitized.Length > room ? sanitized[..room].TrimEnd('-') : sanitized;
        return (prefix.Length == 0 ? "" : prefix + "-") + Hash(value);
    }

    public static bool IsLabelValue(string value) =>
        value.Length is > 0 and <= MaxNameLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
        && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]);

    /// <summary>Lowercase letters and digits kept, any other run of characters becomes one '-', no '-' at either end.</summary>
    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }
        return builder.ToString().Trim('-');
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..HashLength];
}
