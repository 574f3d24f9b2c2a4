using System.Text.Json.Serialization;

namespace Conductor.Compiler.Bootstrap.Input;

/// <summary>The human-authored cluster declaration <c>compiler bootstrap --input</c> reads (compiler notes §1.2).</summary>
internal sealed record ClusterInput
{
    public const string DefaultNamespace = "seam-system";

    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("capi")] public CapiInput? Capi { get; init; }
    [JsonPropertyName("bootstrap")] public BootstrapInput? Bootstrap { get; init; }
    [JsonPropertyName("patches")] public IReadOnlyList<string>? Patches { get; init; }
    [JsonPropertyName("ciliumPrerequisites")] public bool? CiliumPrerequisites { get; init; }
    [JsonPropertyName("registryMirrors")] public IReadOnlyList<RegistryMirrorInput>? RegistryMirrors { get; init; }
    [JsonPropertyName("importExistingCluster")] public bool? ImportExistingCluster { get; init; }
    [JsonPropertyName("machineConfigPaths")] public IReadOnlyDictionary<string, string>? MachineConfigPaths { get; init; }

    public IReadOnlyList<NodeInput> Nodes => Bootstrap?.Nodes ?? [];
}

internal sealed record BootstrapInput
{
    [JsonPropertyName("controlPlaneEndpoint")] public string? ControlPlaneEndpoint { get; init; }
    [JsonPropertyName("talosVersion")] public string? TalosVersion { get; init; }
    [JsonPropertyName("kubernetesVersion")] public string? KubernetesVersion { get; init; }
    [JsonPropertyName("installerImage")] public string? InstallerImage { get; init; }
    [JsonPropertyName("installDisk")] public string? InstallDisk { get; init; }
    [JsonPropertyName("nodes")] public IReadOnlyList<NodeInput>? Nodes { get; init; }
}

internal sealed record NodeInput
{
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("ip")] public string? Ip { get; init; }
    [JsonPropertyName("role")] public string? Role { get; init; }
}

internal sealed record RegistryMirrorInput
{
    [JsonPropertyName("registry")] public string? Registry { get; init; }
    [JsonPropertyName("endpoints")] public IReadOnlyList<string>? Endpoints { get; init; }
}

internal sealed record CapiInput
{
    [JsonPropertyName("enabled")] public bool Enabled { get; init; }
    [JsonPropertyName("talosVersion")] public string? TalosVersion { get; init; }
    [JsonPropertyName("kubernetesVersion")] public string? KubernetesVersion { get; init; }
    [JsonPropertyName("controlPlane")] public CapiControlPlaneInput? ControlPlane { get; init; }
    [JsonPropertyName("workers")] public IReadOnlyList<CapiWorkerInput>? Workers { get; init; }
    [JsonPropertyName("ciliumPackRef")] public CiliumPackRefInput? CiliumPackRef { get; init; }
}

internal sealed record CapiControlPlaneInput
{
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("endpointVIP")] public string? EndpointVip { get; init; }
}

internal sealed record CapiWorkerInput
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("replicas")] public int? Replicas { get; init; }
    [JsonPropertyName("machines")] public IReadOnlyList<string>? Machines { get; init; }
}

internal sealed record CiliumPackRefInput
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
}

/// <summary>The node roles of <c>bootstrap.nodes[].role</c>; each is also the Talos machine type.</summary>
internal static class NodeRoles
{
    public const string Init = "init";
    public const string ControlPlane = "controlplane";
    public const string Worker = "worker";

    public static readonly IReadOnlyList<string> All = [Init, ControlPlane, Worker];

    public static bool HoldsClusterSecrets(string? role) => role is Init or ControlPlane;
}

/// <summary>The two values of <c>mode</c>.</summary>
internal static class ClusterModes
{
    public const string Bootstrap = "bootstrap";
    public const string Import = "import";
}
