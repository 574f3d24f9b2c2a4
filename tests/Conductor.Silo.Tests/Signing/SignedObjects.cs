using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Grains.Signing;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Tests.Signing;

/// <summary>Creates, reads, changes and watches the three signed kinds as raw JSON on the real kube-apiserver.</summary>
public static class SignedObjects
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    public static object Sample(SignedKind kind, string @namespace, string name, string cluster) => kind switch
    {
        SignedKind.PackInstalled => new PackInstalled
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new PackInstalledSpec
            {
                ClusterPackRef = "nginx", Version = "1.2.3", TargetClusterRef = cluster, ChartName = "nginx", ChartVersion = "15.0.0",
                ChartUrl = "oci://registry.local/charts", HelmVersion = "v3.14.0", DependsOn = ["cert-manager"],
            },
        },
        SignedKind.PackDelivery => new PackDelivery
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new PackDeliverySpec
            {
                Version = "1.2.3",
                RegistryRef = new RegistryRef { Url = "registry.local/packs/nginx", Digest = "sha256:" + new string('a', 64) },
                RbacDigest = "sha256:" + new string('b', 64), WorkloadDigest = "sha256:" + new string('c', 64),
                ChartName = "nginx", ChartVersion = "15.0.0", TargetClusters = [cluster],
            },
        },
        SignedKind.PermissionSnapshot => new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new PermissionSnapshotSpec
            {
                TargetCluster = cluster, Version = "2024-05-06T07:08:09Z", FreshnessWindowSeconds = 300,
                PrincipalPermissions =
                [
                    new PrincipalPermissions
                    {
                        PrincipalRef = "alice",
                        AllowedOperations = [new AllowedOperation { ApiGroup = "apps", Resource = "deployments", Verbs = ["get", "list"] }],
                    },
                ],
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static async Task<JsonElement> CreateAsync(IKubernetes client, SignedKind kind, string @namespace, string name, string cluster)
    {
        var api = SignedKindApi.Of(kind);
        return await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            Sample(kind, @namespace, name, cluster), api.Group, api.Version, @namespace, api.Plural);
    }

    public static async Task<JsonElement> ReadAsync(IKubernetes client, SignedKind kind, string @namespace, string name)
    {
        var api = SignedKindApi.Of(kind);
        return await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(api.Group, api.Version, @namespace, api.Plural, name);
    }

    /// <summary>Applies a JSON merge patch (spec fields, annotations, labels) as an outside writer would.</summary>
    public static async Task<JsonElement> PatchAsync(IKubernetes client, SignedKind kind, string @namespace, string name, JsonObject patch)
    {
        var api = SignedKindApi.Of(kind);
        return await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), api.Group, api.Version, @namespace, api.Plural, name);
    }

    public static string? Annotation(JsonElement resource, string key) =>
        resource.GetProperty("metadata").TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(key, out var value)
            ? value.GetString()
            : null;

    public static string ResourceVersion(JsonElement resource) => resource.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;

    /// <summary>Waits (capped) for a watch event on one object that matches, starting at <paramref name="fromVersion"/>.</summary>
    public static async Task<JsonElement> WaitForAsync(
        IKubernetes client, SignedKind kind, string @namespace, string name, string fromVersion, Func<JsonElement, bool> match, TimeSpan? cap = null)
    {
        var api = SignedKindApi.Of(kind);
        using var timeout = new CancellationTokenSource(cap ?? Cap);
        var seen = new List<string>();
        try
        {
            var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(api.Group, api.Version, @namespace, api.Plural,
                fieldSelector: $"metadata.name={name}", resourceVersion: fromVersion, cancellationToken: timeout.Token);
            await foreach (var (type, raw) in events)
            {
                var item = raw is JsonElement element ? element : JsonSerializer.SerializeToElement(raw);
                seen.Add($"{type}@{ResourceVersion(item)}:{Annotation(item, SignatureAnnotations.Signature)}");
                if (type != WatchEventType.Deleted && match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below.
        }
        throw new TimeoutException($"{kind} {@namespace}/{name}: no matching event within {(cap ?? Cap).TotalSeconds} s; saw [{string.Join(", ", seen)}]");
    }

    /// <summary>Waits until the object carries a signature that <paramref name="verifier"/> accepts for its current spec.</summary>
    public static Task<JsonElement> WaitSignedAsync(IKubernetes client, SignedKind kind, string @namespace, string name, string fromVersion,
        SpecVerifier verifier, string? keyId = null) =>
        WaitForAsync(client, kind, @namespace, name, fromVersion, item => Verify(item, verifier).IsValid
            && (keyId is null || Verify(item, verifier).KeyId == keyId) && StatusShowsSignature(kind, item));

    /// <summary>A top-level status field, when present.</summary>
    public static JsonElement? Status(JsonElement resource, string field) =>
        resource.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty(field, out var value)
            && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>
    /// The signer's last write to a PackDelivery or PermissionSnapshot is its status (signed, packSignature): waiting for
    /// it means the signer is done with the object. PackInstalled has no such status.
    /// </summary>
    public static bool StatusShowsSignature(SignedKind kind, JsonElement item)
    {
        if (kind == SignedKind.PackInstalled)
        {
            return true;
        }
        if (Status(item, "signed") is not { ValueKind: JsonValueKind.True })
        {
            return false;
        }
        if (kind != SignedKind.PackDelivery)
        {
            return true;
        }
        SignatureAnnotations.TryParse(Annotation(item, SignatureAnnotations.Signature), out var signature);
        return Status(item, "packSignature")?.GetString() == signature?.Signature;
    }

    public static SpecVerification Verify(JsonElement resource, SpecVerifier verifier)
    {
        SignatureAnnotations.TryParse(Annotation(resource, SignatureAnnotations.Signature), out var signature);
        return verifier.Verify(JsonNode.Parse(resource.GetProperty("spec").GetRawText()), signature);
    }
}
