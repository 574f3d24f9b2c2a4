using static Conductor.Runner.Capabilities.CapabilityNeeds;

namespace Conductor.Runner.Capabilities;

/// <summary>
/// The single list of capabilities: conductor-execute registers a handler for every executable entry, the agent
/// declares them, and the compiler owns the compile-only one. Parameters carry what the reference read from
/// "the first matching CR in the namespace", so a step names exactly what it operates on.
/// </summary>
public static class CapabilityCatalog
{
    /// <summary>Version of every capability's parameter contract in this release.</summary>
    public const string ContractVersion = "1.0.0";

    private const string TargetNodesDescription =
        "Node addresses or hostnames to act on, in order; default: every node of the mounted talosconfig.";

    private static readonly ParameterDefinition TargetNodes = new("targetNodes", ParameterType.StringList, false, TargetNodesDescription);

    /// <summary>All 20 entries: 19 executable, then <see cref="CapabilityNames.PackCompile"/>.</summary>
    public static IReadOnlyList<CapabilityDescriptor> All { get; } =
    [
        Execute(CapabilityNames.Bootstrap, "Bootstraps etcd on the first control-plane node of a new Talos cluster.", Talos | ManagementApi,
            Optional("talosClusterRef", ParameterType.String, "TalosCluster to bootstrap, in POD_NAMESPACE; default: CLUSTER_REF.")),
        Execute(CapabilityNames.TalosUpgrade, "Upgrades Talos node by node, waiting for each node to reboot and report healthy.", Talos,
            Required("targetTalosVersion", ParameterType.String, "Talos version with its leading v, e.g. v1.9.3."),
            Optional("installerImage", ParameterType.String, "Installer image; default: ghcr.io/siderolabs/installer:{targetTalosVersion}."),
            TargetNodes),
        Execute(CapabilityNames.KubeUpgrade, "Upgrades the Kubernetes components in each node's machine config without a reboot.", Talos,
            Required("targetKubernetesVersion", ParameterType.String, "Kubernetes version without the leading v, e.g. 1.32.0."),
            TargetNodes),
        Execute(CapabilityNames.StackUpgrade, "Stages a Talos upgrade and a Kubernetes upgrade together for the next reboot.", Talos,
            Required("targetTalosVersion", ParameterType.String, "Talos version with its leading v, e.g. v1.9.3."),
            Required("targetKubernetesVersion", ParameterType.String, "Kubernetes version without the leading v, e.g. 1.32.0."),
            TargetNodes),
        Execute(CapabilityNames.NodePatch, "Applies a machine-config patch held in a Secret to the target nodes.", Talos | ManagementApi,
            Required("patchSecretRef", ParameterType.String, "Secret in seam-tenant-{cluster} whose key 'machineconfig' holds the patch."),
            Optional("patchMode", ParameterType.String, "How Talos applies the patch; default: no-reboot.", ["no-reboot", "reboot", "auto", "staged"]),
            TargetNodes),
        Execute(CapabilityNames.NodeScaleUp, "Requests more worker nodes by recording the target count for the infrastructure provider.", ManagementApi | TargetCluster,
            Required("replicaCount", ParameterType.Int, "Number of nodes the cluster must reach; greater than zero.")),
        Execute(CapabilityNames.NodeDecommission, "Cordons, drains and resets the named nodes.", Talos | TargetCluster,
            Required("targetNodes", ParameterType.StringList, "Node names to decommission, at least one.")),
        Execute(CapabilityNames.NodeReboot, "Reboots the named nodes one at a time.", Talos,
            Required("targetNodes", ParameterType.StringList, "Node addresses or hostnames to reboot, at least one.")),
        Execute(CapabilityNames.EtcdBackup, "Takes an etcd snapshot and uploads it to object storage.", Talos | ObjectStorage,
            Required("bucket", ParameterType.String, "Destination bucket."),
            Optional("key", ParameterType.String, "Object key; default: etcd-backup-{cluster}-{yyyyMMddTHHmmssZ}.snapshot.")),
        Execute(CapabilityNames.EtcdDefrag, "Defragments the etcd member of every control-plane node.", Talos,
            TargetNodes),
        Execute(CapabilityNames.EtcdRestore, "Downloads an etcd snapshot from object storage and recovers etcd from it.", Talos | ObjectStorage,
            Required("bucket", ParameterType.String, "Bucket holding the snapshot."),
            Required("key", ParameterType.String, "Object key of the snapshot.")),
        Execute(CapabilityNames.PkiRotate, "Rotates the cluster PKI and refreshes the stored admin kubeconfig.", Talos | ManagementApi,
            Optional("pkiRotationRef", ParameterType.String, "PKIRotation in seam-tenant-{cluster} that requested the run; recorded in the result."),
            TargetNodes),
        Execute(CapabilityNames.CredentialRotate, "Rotates service-account signing keys and OIDC credentials held for the cluster.", ManagementApi,
            Optional("rotateServiceAccountKeys", ParameterType.Bool, "Rotate the service-account key Secret; default: true."),
            Optional("rotateOIDCCredentials", ParameterType.Bool, "Rotate the OIDC credential Secret; default: false.")),
        Execute(CapabilityNames.HardeningApply, "Merges a HardeningProfile's machine-config patches into each node's running config.", Talos | ManagementApi,
            Required("hardeningProfileRef", ParameterType.String, "HardeningProfile whose machineConfigPatches are applied."),
            Optional("hardeningProfileNamespace", ParameterType.String, "Namespace of the HardeningProfile; default: seam-tenant-{cluster}."),
            TargetNodes),
        Execute(CapabilityNames.ClusterReset, "Resets the cluster's nodes; runs only when the ClusterReset carries the human approval annotation.", Talos | ManagementApi,
            Required("clusterResetRef", ParameterType.String, "ClusterReset in seam-tenant-{cluster}; it must carry ontai.dev/reset-approved=true."),
            Optional("graceful", ParameterType.Bool, "Leave etcd and drain gracefully before the reset; default: true.")),
        Execute(CapabilityNames.MachineConfigBackup, "Uploads each node's machine config to object storage.", Talos | ObjectStorage,
            Required("bucket", ParameterType.String, "Destination bucket; keys are {cluster}/machineconfigs/{timestamp}/{hostname}.yaml."),
            TargetNodes),
        Execute(CapabilityNames.MachineConfigRestore, "Re-applies machine configs from a backup, node by node.", Talos | ObjectStorage,
            Required("bucket", ParameterType.String, "Bucket holding the backup."),
            Required("backupTimestamp", ParameterType.String, "Timestamp folder of the backup, yyyyMMddTHHmmssZ."),
            Optional("targetNodes", ParameterType.StringList, "Hostnames to restore; default: every node of the mounted talosconfig.")),
        Execute(CapabilityNames.PackDeploy, "Pulls a signed pack from the registry and applies it to the target cluster stage by stage.", OciRegistry | TargetCluster | ManagementApi | Guardian,
            Required("packExecutionRef", ParameterType.String, "PackExecution in seam-tenant-{cluster} naming the PackDelivery to deploy.")) with { Available = true },
        Execute(CapabilityNames.RbacProvision, "Provisions the RBAC of a PermissionSnapshot on the target cluster after verifying its signature.", ManagementApi | TargetCluster,
            Required("permissionSnapshotRef", ParameterType.String, "PermissionSnapshot in seam-tenant-{cluster} to provision.")) with { Available = true },
        new(CapabilityNames.PackCompile, ContractVersion, "Compiles a PackBuild into a signed pack artifact; the compiler's packbuild, never a Job.",
            CapabilityMode.Compile, None,
            new ParameterSchema([Required("packBuildPath", ParameterType.String, "Path of the PackBuild spec on the workstation.")])),
    ];

    /// <summary>The names conductor-execute must register, in catalog order.</summary>
    public static IReadOnlyList<string> ExecutableNames { get; } = All.Where(c => c.IsExecutable).Select(c => c.Name).ToArray();

    /// <summary>The names the agent declares in its capability manifest: executable and available in this build.</summary>
    public static IReadOnlyList<string> DeclaredNames { get; } = All.Where(c => c.IsExecutable && c.Available).Select(c => c.Name).ToArray();

    /// <summary>Looks a capability up by its exact name (names are never normalised).</summary>
    public static CapabilityDescriptor? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    private static CapabilityDescriptor Execute(string name, string description, CapabilityNeeds needs, params ParameterDefinition[] parameters) =>
        new(name, ContractVersion, description, CapabilityMode.Execute, needs, new ParameterSchema(parameters));

    private static ParameterDefinition Required(string name, ParameterType type, string description) => new(name, type, true, description);

    private static ParameterDefinition Optional(string name, ParameterType type, string description, IReadOnlyList<string>? allowed = null) =>
        new(name, type, false, description, allowed);
}
