using Conductor.Compiler.Packs.Input;
using Conductor.Resources.Dispatcher;
using k8s.Models;

namespace Conductor.Compiler.Packs.Delivery;

/// <summary>
/// The PackDelivery CR a build produces (compiler.md §4.4, §4.7): name and namespace, version, registryRef (the
/// workload digest when layers were pushed), checksum, layer digests, target clusters, values file and base pack.
/// Empty fields are left out; there is no status, which the management agent writes.
/// </summary>
public static class PackDeliveryFactory
{
    /// <summary>The prebuilt path: digests and checksum as the input gives them.</summary>
    public static PackDelivery Prebuilt(PackBuildInput input) => Create(input, new PackDeliverySpec
    {
        Version = input.Version!,
        RegistryRef = new RegistryRef { Url = input.RegistryUrl!, Digest = input.Digest ?? "" },
        Checksum = Empty(input.Checksum),
        RbacDigest = Empty(input.RbacDigest),
        ClusterScopedDigest = Empty(input.ClusterScopedDigest),
        WorkloadDigest = Empty(input.WorkloadDigest),
    });

    /// <summary>A built path: digests of the layers just pushed.</summary>
    public static PackDelivery Built(PackBuildInput input, PushedLayers layers) => Create(input, new PackDeliverySpec
    {
        Version = input.Version!,
        RegistryRef = new RegistryRef { Url = input.RegistryUrl!, Digest = layers.WorkloadDigest },
        Checksum = layers.Checksum,
        RbacDigest = layers.RbacDigest,
        ClusterScopedDigest = layers.ClusterScopedDigest,
        WorkloadDigest = layers.WorkloadDigest,
    });

    private static PackDelivery Create(PackBuildInput input, PackDeliverySpec spec) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = input.Name,
            NamespaceProperty = string.IsNullOrEmpty(input.Namespace) ? PackBuildInput.DefaultNamespace : input.Namespace,
        },
        Spec = spec with
        {
            SourceBuildRef = Empty(input.SourceBuildRef),
            BasePackName = Empty(input.BasePackName),
            TargetClusters = input.TargetClusters is { Count: > 0 } clusters ? clusters : null,
            ValuesFile = Empty(input.ValuesFile),
        },
    };

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
