using System.Text.RegularExpressions;

namespace Conductor.Compiler.Packs.Input;

/// <summary>The Kubernetes name rules a PackDelivery's name, namespace and target clusters must follow.</summary>
internal static partial class ResourceNames
{
    /// <summary>A DNS-1123 subdomain: metadata.name of a custom resource (dots allowed, as in <c>pack-v1.2.3-r1</c>).</summary>
    public static bool IsSubdomain(string value) => value.Length <= 253 && Subdomain().IsMatch(value);

    /// <summary>A DNS-1123 label: a namespace or a cluster name.</summary>
    public static bool IsLabel(string value) => value.Length <= 63 && Label().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
