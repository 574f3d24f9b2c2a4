using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Membership;

/// <summary>
/// Where the management silos keep their Orleans membership table: one ConfigMap
/// <c>orleans-membership-{clusterId}</c> in <see cref="Namespace"/>. Bound from environment variables of the same name.
/// </summary>
public sealed class KubernetesMembershipOptions
{
    public const string ClusteringEnvVar = "ORLEANS_CLUSTERING";
    public const string NamespaceEnvVar = "ORLEANS_MEMBERSHIP_NAMESPACE";
    public const string InClusterEnvVar = "KUBERNETES_SERVICE_HOST";
    public const string PodNameEnvVar = "POD_NAME";
    public const string PodNamespaceEnvVar = "POD_NAMESPACE";
    public const string KubernetesClustering = "kubernetes";
    public const string LocalhostClustering = "localhost";
    public const string DefaultNamespace = "ont-system";
    public const string ConfigMapPrefix = "orleans-membership-";

    /// <summary>
    /// Clustering provider (<c>ORLEANS_CLUSTERING</c>): <c>kubernetes</c> or <c>localhost</c>. Unset means
    /// <c>kubernetes</c> when running in a cluster (<c>KUBERNETES_SERVICE_HOST</c> set), else <c>localhost</c>.
    /// </summary>
    [ConfigurationKeyName(ClusteringEnvVar)]
    public string? Clustering { get; set; }

    /// <summary>Namespace of the membership ConfigMap (<c>ORLEANS_MEMBERSHIP_NAMESPACE</c>, default <c>ont-system</c>).</summary>
    [ConfigurationKeyName(NamespaceEnvVar)]
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>Set by the kubelet in every pod; its presence means "running in a cluster".</summary>
    [ConfigurationKeyName(InClusterEnvVar)]
    public string? KubernetesServiceHost { get; set; }

    /// <summary>Pod name from the downward API (<c>POD_NAME</c>); with <see cref="PodNamespace"/> it enables Orleans' Kubernetes hosting.</summary>
    [ConfigurationKeyName(PodNameEnvVar)]
    public string? PodName { get; set; }

    /// <summary>Pod namespace from the downward API (<c>POD_NAMESPACE</c>).</summary>
    [ConfigurationKeyName(PodNamespaceEnvVar)]
    public string? PodNamespace { get; set; }

    /// <summary>Whether the silo keeps its membership in Kubernetes rather than in the embedded localhost table.</summary>
    public bool UsesKubernetes => string.IsNullOrEmpty(Clustering)
        ? !string.IsNullOrEmpty(KubernetesServiceHost)
        : Clustering == KubernetesClustering;

    /// <summary>Whether the silo runs in a pod that exposes its name and namespace (Orleans' Kubernetes hosting needs both).</summary>
    public bool RunsInPod => !string.IsNullOrEmpty(PodName) && !string.IsNullOrEmpty(PodNamespace);

    public static string ConfigMapName(string clusterId) => ConfigMapPrefix + clusterId;
}
