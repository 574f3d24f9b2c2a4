using Conductor.Compiler.Packs.Split;
using Conductor.Registry.Distribution;
using Conductor.Registry.Packaging;

namespace Conductor.Compiler.Packs.Delivery;

/// <summary>
/// Pushes each layer as its own pack layer artifact (<see cref="PackLayerArtifact"/>) to the pack's repository, tagged
/// <c>&lt;version&gt;-rbac</c>, <c>&lt;version&gt;-cluster-scoped</c> (only when that layer has manifests) and
/// <c>&lt;version&gt;-workload</c> (compiler.md §4.6 step 6). The same text gives the same digests every time.
/// </summary>
public static class PackLayerPusher
{
    public const string RbacSuffix = "-rbac";
    public const string ClusterScopedSuffix = "-cluster-scoped";
    public const string WorkloadSuffix = "-workload";

    /// <summary>One pushed layer, reported as it lands.</summary>
    public sealed record PushedLayer(string Layer, OciReference Reference, string Digest);

    public static async Task<PushedLayers> PushAsync(OciRegistryClient client, OciReference repository, string version,
        PackLayers layers, Func<PushedLayer, Task> onPushed, CancellationToken cancellationToken)
    {
        var rbac = await PushAsync(client, repository.WithTag(version + RbacSuffix), "rbac", layers.Rbac, onPushed, cancellationToken);
        var clusterScoped = layers.ClusterScoped.Length == 0 ? null
            : await PushAsync(client, repository.WithTag(version + ClusterScopedSuffix), "cluster-scoped", layers.ClusterScoped, onPushed, cancellationToken);
        var workload = await PushAsync(client, repository.WithTag(version + WorkloadSuffix), "workload", layers.Workload, onPushed, cancellationToken);
        return new PushedLayers(rbac, clusterScoped, workload, layers.Checksum);
    }

    private static async Task<string> PushAsync(OciRegistryClient client, OciReference reference, string layer, string yaml,
        Func<PushedLayer, Task> onPushed, CancellationToken cancellationToken)
    {
        string digest;
        try
        {
            digest = await client.PushArtifactAsync(reference, PackLayerArtifact.Build(yaml), cancellationToken);
        }
        catch (RegistryException ex)
        {
            throw new PackLayerPushException(layer, reference, ex);
        }
        await onPushed(new PushedLayer(layer, reference, digest));
        return digest;
    }
}
