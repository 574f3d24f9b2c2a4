namespace Conductor.Runner.Capabilities;

/// <summary>
/// What a capability reaches while it runs. The sequencer uses it to decide which Secrets to mount into the Job
/// (kubeconfig, talosconfig, object-storage credentials); the executor checks each before running the handler.
/// </summary>
[Flags]
public enum CapabilityNeeds
{
    None = 0,

    /// <summary>The management cluster's API, in-cluster (Secrets, ConfigMaps and Seam resources in seam-tenant-{cluster}).</summary>
    ManagementApi = 1,

    /// <summary>The target cluster's API, through the mounted kubeconfig Secret.</summary>
    TargetCluster = 2,

    /// <summary>The Talos machine API of the target nodes, through the mounted talosconfig Secret.</summary>
    Talos = 4,

    /// <summary>An S3-compatible object store (etcd snapshots, machine-config backups).</summary>
    ObjectStorage = 8,

    /// <summary>An OCI registry holding pack artifacts.</summary>
    OciRegistry = 16,

    /// <summary>Guardian's RBAC intake on the management cluster.</summary>
    Guardian = 32,
}
