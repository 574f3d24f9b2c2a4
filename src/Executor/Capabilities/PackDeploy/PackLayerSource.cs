using System.Security.Cryptography;
using System.Text;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Registry.Distribution;
using Conductor.Registry.Packaging;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Results;

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>
/// Pulls the layer artifacts a PackDelivery names (each pushed by packbuild as its own artifact, addressed by manifest
/// digest) and checks them: the client verifies the manifest and every blob against their digests, and the layers'
/// text must hash to <c>spec.checksum</c>. Altered registry content is refused as a ValidationFailure naming the layer
/// digest, and nothing is applied.
/// </summary>
public sealed class PackLayerSource(OciRegistryClient registry)
{
    public async Task<PackContent> PullAsync(PackDeliverySpec spec, string what, CancellationToken cancellationToken)
    {
        OciReference repository;
        try
        {
            repository = OciReference.Parse(spec.RegistryRef.Url, requireTagOrDigest: false);
        }
        catch (FormatException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{what} spec.registryRef.url: {e.Message}", e);
        }
        if (string.IsNullOrEmpty(spec.RbacDigest) || string.IsNullOrEmpty(spec.WorkloadDigest))
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{what} has no spec.rbacDigest or spec.workloadDigest: pack-deploy deploys the layered packs `compiler packbuild` pushes");
        }

        var rbac = await PullLayerAsync(repository, "rbac", spec.RbacDigest, cancellationToken);
        var clusterScoped = string.IsNullOrEmpty(spec.ClusterScopedDigest) ? null
            : await PullLayerAsync(repository, "cluster-scoped", spec.ClusterScopedDigest, cancellationToken);
        var workload = await PullLayerAsync(repository, "workload", spec.WorkloadDigest, cancellationToken);

        if (!string.IsNullOrEmpty(spec.Checksum))
        {
            // packbuild's checksum covers the three layer texts in order (PackLayers.Checksum).
            var text = rbac.Yaml + (clusterScoped?.Yaml ?? "") + workload.Yaml;
            var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            var expected = spec.Checksum.StartsWith("sha256:", StringComparison.Ordinal) ? spec.Checksum["sha256:".Length..] : spec.Checksum;
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                    $"{what} spec.checksum is {expected} but its layers hash to {actual}; the pack's layers are not the ones it was built with");
            }
        }
        return new PackContent(rbac, clusterScoped, workload);
    }

    private async Task<PackLayer> PullLayerAsync(OciReference repository, string name, string digest, CancellationToken cancellationToken)
    {
        OciReference reference;
        try
        {
            reference = repository.WithDigest(digest);
        }
        catch (FormatException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{name} layer digest '{digest}': {e.Message}", e);
        }
        var source = $"{name} layer {reference}";
        string yaml;
        try
        {
            var artifact = await registry.PullArtifactAsync(reference, cancellationToken);
            yaml = PackLayerArtifact.ReadManifests(artifact, source);
        }
        catch (RegistryException e) when (e.Failure == RegistryFailure.DigestMismatch)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"{source} failed its integrity check (layer digest {digest}): {e.Message}; the registry content was altered, so nothing was applied", e);
        }
        catch (RegistryException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExternalDependencyFailure, $"pulling {source} failed: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, e.Message, e);
        }
        return new PackLayer(name, reference, yaml, YamlManifests.Parse(yaml, source));
    }
}

/// <summary>One pulled, verified layer: where it came from, its text and its objects.</summary>
public sealed record PackLayer(string Name, OciReference Reference, string Yaml, IReadOnlyList<ManifestObject> Objects);

/// <summary>The layers of one pack version; the cluster-scoped layer is absent when the pack has none.</summary>
public sealed record PackContent(PackLayer Rbac, PackLayer? ClusterScoped, PackLayer Workload)
{
    public IEnumerable<PackLayer> All => ClusterScoped is null ? [Rbac, Workload] : [Rbac, ClusterScoped, Workload];
}
