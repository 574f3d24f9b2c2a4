using System.Text.RegularExpressions;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// What versions the nodes report (agent notes §3.8): Talos from <c>status.nodeInfo.osImage</c> ("Talos (v1.7.4)",
/// keeping the v), Kubernetes from <c>status.nodeInfo.kubeletVersion</c> (one leading v stripped). The cluster's
/// observed version is the one every reporting node agrees on; nodes that disagree mean an upgrade is under way,
/// which is not drift.
/// </summary>
public static partial class NodeVersions
{
    /// <summary>The Talos version in an osImage, or "" when the image is not Talos.</summary>
    public static string Talos(string? osImage)
    {
        var match = TalosImage().Match(osImage ?? "");
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>The kubelet version without its leading v, or "" when absent.</summary>
    public static string Kubernetes(string? kubeletVersion) =>
        kubeletVersion is { Length: > 0 } v ? (v.StartsWith('v') ? v[1..] : v) : "";

    /// <summary>The version all reporting nodes agree on; null when none reports one or they disagree.</summary>
    public static string? Agreed(IEnumerable<V1Node> nodes, Func<V1NodeSystemInfo, string> version)
    {
        var reported = nodes
            .Select(n => n.Status?.NodeInfo is { } info ? version(info) : "")
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return reported.Count == 1 ? reported[0] : null;
    }

    [GeneratedRegex(@"talos\s+\((v\d+\.\d+\.\d+[^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TalosImage();
}
