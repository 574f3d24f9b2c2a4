using Conductor.Silo.Kubernetes;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Custody;

/// <summary>Tenant custody verification settings, bound from environment variables of the same name.</summary>
public sealed class CustodyOptions
{
    public const string ManagementKubeconfigEnvVar = ManagementCluster.KubeconfigEnvVar;
    public const string PublicKeysDirEnvVar = "SIGNING_PUBLIC_KEYS_DIR";
    public const string KeyReloadSecondsEnvVar = "SIGNING_KEY_RELOAD_SECONDS";

    /// <summary>
    /// Kubeconfig of the management cluster (<c>MGMT_KUBECONFIG_PATH</c>); the pull loops read this cluster's
    /// <c>seam-tenant-{cluster}</c> namespace through it. Unset turns the pull loops off (logged at start).
    /// </summary>
    [ConfigurationKeyName(ManagementKubeconfigEnvVar)]
    public string? ManagementKubeconfigPath { get; set; }

    /// <summary>
    /// Directory of trusted management public keys (<c>SIGNING_PUBLIC_KEYS_DIR</c>), one PKIX PEM file per key, mounted
    /// from a ConfigMap or Secret. Adding the new key before a rotation and removing the old one after it is the whole
    /// rotation procedure; the directory is re-read every <see cref="KeyReloadSeconds"/>.
    /// </summary>
    [ConfigurationKeyName(PublicKeysDirEnvVar)]
    public string? PublicKeysDirectory { get; set; }

    /// <summary>How often the key directory is re-read (<c>SIGNING_KEY_RELOAD_SECONDS</c>, default 10).</summary>
    [ConfigurationKeyName(KeyReloadSecondsEnvVar)]
    public int KeyReloadSeconds { get; set; } = 10;

    /// <summary>This cluster's name (<c>CLUSTER_REF</c>).</summary>
    [ConfigurationKeyName(AgentOptions.ClusterRefEnvVar)]
    public string ClusterRef { get; set; } = "";

    /// <summary>Where receipts are written on this cluster (<c>POD_NAMESPACE</c>, default ont-system).</summary>
    [ConfigurationKeyName(AgentOptions.PodNamespaceEnvVar)]
    public string ReceiptNamespace { get; set; } = AgentOptions.DefaultNamespace;

    public bool Enabled => !string.IsNullOrWhiteSpace(ManagementKubeconfigPath);
}
