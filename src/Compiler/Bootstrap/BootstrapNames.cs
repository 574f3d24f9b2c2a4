namespace Conductor.Compiler.Bootstrap;

/// <summary>Names of everything <c>compiler bootstrap</c> writes (compiler notes §1.5; namespaces per DESIGN §6).</summary>
internal static class BootstrapNames
{
    public const string TenantNamespacePrefix = "seam-tenant-";
    public const string SeamSystem = "seam-system";
    public const string SequenceFile = "bootstrap-sequence.yaml";
    public const string NamespaceFile = "seam-tenant-namespace.yaml";
    public const string MachineConfigKey = "machineconfig.yaml";
    public const string TalosconfigKey = "talosconfig";
    public const string ManagedBy = "compiler";

    public static string TenantNamespace(string cluster) => TenantNamespacePrefix + cluster;

    /// <summary><c>seam-mc-{cluster}-{host}</c>, with a leading <c>{cluster}-</c> dropped from the host.</summary>
    public static string MachineConfigSecret(string cluster, string hostname) =>
        $"seam-mc-{cluster}-{(hostname.StartsWith(cluster + "-", StringComparison.Ordinal) ? hostname[(cluster.Length + 1)..] : hostname)}";

    public static string TalosconfigSecret(string cluster) => $"seam-mc-{cluster}-talosconfig";

    public static string SequenceConfigMap(string cluster) => $"seam-bootstrap-sequence-{cluster}";
}
