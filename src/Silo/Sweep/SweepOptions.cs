using Conductor.Resources;

namespace Conductor.Silo.Sweep;

/// <summary>The TenantBootstrapSweep: when it runs, where it writes, and what it looks at.</summary>
public sealed class SweepOptions
{
    public const string IntervalEnvVar = "SWEEP_INTERVAL";
    public const string NamespaceSelectorEnvVar = "SWEEP_NAMESPACE_SELECTOR";
    public const string ClusterScopedSelectorEnvVar = "SWEEP_CLUSTER_SCOPED_SELECTOR";

    /// <summary>Time between sweeps after the one at election (<c>SWEEP_INTERVAL</c>, default 5 min).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The agent's namespace (<c>POD_NAMESPACE</c>): the component PermissionSets, policies and profiles go here.</summary>
    public string Namespace { get; set; } = "ont-system";

    /// <summary>This cluster (<c>CLUSTER_REF</c>): the profiles target it and its snapshot receipt gates strict mode.</summary>
    public string ClusterName { get; set; } = "";

    /// <summary>Only namespaces matching this label selector are swept (<c>SWEEP_NAMESPACE_SELECTOR</c>); null sweeps every namespace.</summary>
    public string? NamespaceLabelSelector { get; set; }

    /// <summary>Only ClusterRoles and ClusterRoleBindings matching this label selector are swept (<c>SWEEP_CLUSTER_SCOPED_SELECTOR</c>); null sweeps all.</summary>
    public string? ClusterScopedLabelSelector { get; set; }

    /// <summary>The group version the component profiles are written in; the step is skipped when it is not served.</summary>
    public string GuardianApiVersion { get; set; } = GuardianApi.ApiVersion;

    /// <summary>Components recognised by their namespace.</summary>
    public IReadOnlyList<ThirdPartyComponent> Components { get; set; } = ThirdPartyComponent.Known;

    internal List<string> Unreadable { get; } = [];
}
