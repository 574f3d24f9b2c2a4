using System.Globalization;
using Conductor.Signing;

namespace Conductor.Silo.Drift;

/// <summary>The reference's names (agent notes §4.2) for drift signals and what the handler redeploys.</summary>
public static class DriftNames
{
    public const string SignalPrefix = "drift-";

    /// <summary><c>drift-{receipt}</c>.</summary>
    public static string PackSignal(string receipt) => SignalPrefix + receipt;

    /// <summary><c>drift-version-{cluster}</c>.</summary>
    public static string TalosSignal(string cluster) => $"{SignalPrefix}version-{cluster}";

    /// <summary><c>drift-k8s-version-{cluster}</c>.</summary>
    public static string KubernetesSignal(string cluster) => $"{SignalPrefix}k8s-version-{cluster}";

    /// <summary><c>seam-tenant-{cluster}</c> on management, where a cluster's signals live.</summary>
    public static string TenantNamespace(string cluster) => SignedArtifactSecret.TenantNamespace(cluster);

    /// <summary>The cluster a <c>seam-tenant-{cluster}</c> namespace belongs to, or null for any other namespace.</summary>
    public static string? ClusterOf(string? @namespace)
    {
        const string prefix = SignedArtifactSecret.TenantNamespacePrefix;
        return @namespace is { } ns && ns.StartsWith(prefix, StringComparison.Ordinal) && ns.Length > prefix.Length ? ns[prefix.Length..] : null;
    }

    /// <summary>The PackExecution a pack signal redeploys: <c>{signal minus drift-}-{cluster}</c>.</summary>
    public static string PackExecution(string signal, string cluster) =>
        (signal.StartsWith(SignalPrefix, StringComparison.Ordinal) ? signal[SignalPrefix.Length..] : signal) + "-" + cluster;

    /// <summary>A correlation id: the prefix and the time in Unix nanoseconds, as the reference writes it.</summary>
    public static string Correlation(string prefix, DateTimeOffset now) =>
        prefix + ((now - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture);
}
