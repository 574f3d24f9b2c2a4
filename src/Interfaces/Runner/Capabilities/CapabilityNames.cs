namespace Conductor.Runner.Capabilities;

/// <summary>
/// The permanent capability names (reference runnerlib §3.1). Operators put these strings into RunnerConfig steps,
/// so a name is never renamed or normalised; a new capability gets a new name.
/// </summary>
public static class CapabilityNames
{
    public const string Bootstrap = "bootstrap";
    public const string TalosUpgrade = "talos-upgrade";
    public const string KubeUpgrade = "kube-upgrade";
    public const string StackUpgrade = "stack-upgrade";
    public const string NodePatch = "node-patch";
    public const string NodeScaleUp = "node-scale-up";
    public const string NodeDecommission = "node-decommission";
    public const string NodeReboot = "node-reboot";
    public const string EtcdBackup = "etcd-backup";
    public const string EtcdDefrag = "etcd-defrag";
    public const string EtcdRestore = "etcd-restore";
    public const string PkiRotate = "pki-rotate";
    public const string CredentialRotate = "credential-rotate";
    public const string HardeningApply = "hardening-apply";
    public const string ClusterReset = "cluster-reset";
    public const string MachineConfigBackup = "machineconfig-backup";
    public const string MachineConfigRestore = "machineconfig-restore";

    /// <summary>Compile mode only: the compiler's packbuild. Never registered in conductor-execute.</summary>
    public const string PackCompile = "pack-compile";

    public const string PackDeploy = "pack-deploy";
    public const string RbacProvision = "rbac-provision";
}
