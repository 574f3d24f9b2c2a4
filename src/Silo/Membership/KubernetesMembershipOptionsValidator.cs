using Conductor.Naming;
using Conductor.Silo.Management;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Membership;

/// <summary>
/// Collects every problem with <see cref="KubernetesMembershipOptions"/>. Given the Orleans cluster id, it also checks
/// that the ConfigMap name derived from it is a valid Kubernetes object name.
/// </summary>
public sealed class KubernetesMembershipOptionsValidator(string? clusterId = null) : IValidateOptions<KubernetesMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesMembershipOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.Clustering)
            && options.Clustering is not (KubernetesMembershipOptions.KubernetesClustering or KubernetesMembershipOptions.LocalhostClustering))
        {
            failures.Add($"{KubernetesMembershipOptions.ClusteringEnvVar} '{options.Clustering}' must be " +
                $"'{KubernetesMembershipOptions.KubernetesClustering}' or '{KubernetesMembershipOptions.LocalhostClustering}' (or unset).");
        }
        if (!DnsLabel.IsValid(options.Namespace))
        {
            failures.Add($"{KubernetesMembershipOptions.NamespaceEnvVar} '{options.Namespace}' must be a Kubernetes namespace name " +
                "(lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit).");
        }
        if (clusterId is not null)
        {
            var configMap = KubernetesMembershipOptions.ConfigMapName(clusterId);
            if (!DnsSubdomain.IsValid(configMap))
            {
                failures.Add($"{ManagementOptions.ClusterIdEnvVar} '{clusterId}' cannot name the membership ConfigMap '{configMap}': " +
                    "use lowercase letters, digits, '-' and '.', ending with a letter or digit, at most " +
                    $"{DnsSubdomain.MaxLength - KubernetesMembershipOptions.ConfigMapPrefix.Length} characters.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
