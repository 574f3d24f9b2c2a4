using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Grains.Signing;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Signing;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// A pack management delivered to one cluster, as the tenant's custody pull loops find it in
/// <c>seam-tenant-{cluster}</c> on management: a signed PackDelivery, a signed PackInstalled naming it, and the
/// artifact Secret holding the PackInstalled spec with its signature. Disposing deletes the namespace.
/// </summary>
internal sealed class SignedPack(IKubernetes management, string @namespace) : IAsyncDisposable
{
    public const string Delivery = "least-privilege-pack";

    public string PackInstalledName { get; private init; } = "";

    public static async Task<SignedPack> CreateAsync(IKubernetes management, string clusterId, Ed25519PrivateKey key, CancellationToken cancellationToken)
    {
        var ns = SignedArtifactSecret.TenantNamespace(clusterId);
        await management.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        }, cancellationToken: cancellationToken);
        var pack = new SignedPack(management, ns) { PackInstalledName = $"{Delivery}-{clusterId}" };
        await CreateSignedAsync(management, ns, PackDelivery.Plural, PackDelivery.KindName, Delivery, new JsonObject
        {
            ["version"] = "1.0.0",
            ["registryRef"] = new JsonObject { ["url"] = "registry.example/packs/least-privilege", ["digest"] = "sha256:" + new string('a', 64) },
        }, key, cancellationToken);
        var installedSpec = await CreateSignedAsync(management, ns, PackInstalled.Plural, PackInstalled.KindName, pack.PackInstalledName, new JsonObject
        {
            ["clusterPackRef"] = Delivery,
            ["version"] = "1.0.0",
            ["targetClusterRef"] = clusterId,
        }, key, cancellationToken);

        var signature = DesiredSignature.For(SpecDigest.Of(installedSpec), key);
        SignatureAnnotations.TryParse(signature.Signature, out var parsed);
        await management.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = SignedArtifactSecret.Name(clusterId, pack.PackInstalledName),
                Labels = new Dictionary<string, string> { [SignedArtifactSecret.ClusterLabel] = clusterId },
                Annotations = new Dictionary<string, string> { [SignedArtifactSecret.PackInstalledAnnotation] = pack.PackInstalledName },
            },
            Data = new Dictionary<string, byte[]>
            {
                [SignedArtifactSecret.ArtifactKey] = Encoding.UTF8.GetBytes(installedSpec),
                [SignedArtifactSecret.KeyIdKey] = Encoding.UTF8.GetBytes(parsed!.KeyId),
                [SignedArtifactSecret.SignatureKey] = Convert.FromBase64String(parsed.Signature),
                [SignedArtifactSecret.SpecHashKey] = Encoding.UTF8.GetBytes(signature.SpecHash),
            },
        }, ns, cancellationToken: cancellationToken);
        return pack;
    }

    /// <summary>Creates the object, then signs its stored spec as the management signer does; returns that spec.</summary>
    private static async Task<string> CreateSignedAsync(IKubernetes management, string ns, string plural, string kind, string name, JsonObject spec,
        Ed25519PrivateKey key, CancellationToken cancellationToken)
    {
        var created = await management.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(new JsonObject
        {
            ["apiVersion"] = SeamApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        }, SeamApi.Group, SeamApi.Version, ns, plural, cancellationToken: cancellationToken);
        var stored = created.GetProperty("spec").GetRawText();
        var desired = DesiredSignature.For(SpecDigest.Of(stored), key);
        var annotations = new JsonObject { [SignatureAnnotations.Signature] = desired.Signature, [SignatureAnnotations.SpecHash] = desired.SpecHash };
        await management.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            SeamApi.Group, SeamApi.Version, ns, plural, name, cancellationToken: cancellationToken);
        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await management.CoreV1.DeleteNamespaceAsync(@namespace);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
