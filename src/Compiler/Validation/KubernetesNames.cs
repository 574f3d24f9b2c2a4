using System.Text.RegularExpressions;

namespace Conductor.Compiler.Validation;

/// <summary>The Kubernetes object-name rules (RFC 1123) the generated names must satisfy.</summary>
internal static partial class KubernetesNames
{
    public const int MaxLabelLength = 63;

    public static bool IsDnsLabel(string? value) => value is { Length: > 0 and <= MaxLabelLength } && Label().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
