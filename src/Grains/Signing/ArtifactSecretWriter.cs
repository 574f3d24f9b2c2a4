using System.Net;
using System.Text;
using Conductor.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Signing;

/// <summary>
/// Makes the artifact Secret of a signed PackInstalled hold exactly the signed canonical spec and its signature: create
/// it when absent, otherwise replace it at the resourceVersion just read (never a blind write).
/// </summary>
public sealed class ArtifactSecretWriter(IKubernetes client)
{
    private const int MaxConflictRetries = 5;

    /// <summary>Whether the Secret had to be written (false: it already held this artifact).</summary>
    public async Task<bool> EnsureAsync(string cluster, string packInstalled, SpecDigest digest, SpecSignature signature, CancellationToken cancellationToken)
    {
        var desired = Build(cluster, packInstalled, digest, signature);
        var ns = desired.Metadata.NamespaceProperty;
        for (var attempt = 0; ; attempt++)
        {
            V1Secret? existing;
            try
            {
                existing = await client.CoreV1.ReadNamespacedSecretAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                existing = null;
            }
            try
            {
                if (existing is null)
                {
                    await CreateAsync(desired, cancellationToken);
                    return true;
                }
                if (Holds(existing, desired))
                {
                    return false;
                }
                desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await client.CoreV1.ReplaceNamespacedSecretAsync(desired, desired.Metadata.Name, ns, cancellationToken: cancellationToken);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxConflictRetries)
            {
                // Created or changed by someone else since the read: read again and compare.
            }
        }
    }

    private async Task CreateAsync(V1Secret secret, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespacedSecretAsync(secret, secret.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Management owns seam-tenant-{cluster}; a PackInstalled signed from elsewhere may precede it.
            await EnsureNamespaceAsync(secret.Metadata.NamespaceProperty, cancellationToken);
            await client.CoreV1.CreateNamespacedSecretAsync(secret, secret.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
    }

    private async Task EnsureNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created meanwhile.
        }
    }

    private static bool Holds(V1Secret existing, V1Secret desired) =>
        existing.Data is { } data
        && desired.Data.All(entry => data.TryGetValue(entry.Key, out var value) && value.AsSpan().SequenceEqual(entry.Value))
        && Contains(existing.Metadata.Labels, desired.Metadata.Labels)
        && Contains(existing.Metadata.Annotations, desired.Metadata.Annotations);

    private static bool Contains(IDictionary<string, string>? existing, IDictionary<string, string> desired) =>
        desired.All(entry => existing?.TryGetValue(entry.Key, out var value) == true && value == entry.Value);

    private static V1Secret Build(string cluster, string packInstalled, SpecDigest digest, SpecSignature signature) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = SignedArtifactSecret.Name(cluster, packInstalled),
            NamespaceProperty = SignedArtifactSecret.TenantNamespace(cluster),
            Labels = new Dictionary<string, string>
            {
                [SignedArtifactSecret.ClusterLabel] = cluster,
            },
            // An annotation, not a label: a resource name may be longer than a label value may.
            Annotations = new Dictionary<string, string> { [SignedArtifactSecret.PackInstalledAnnotation] = packInstalled },
        },
        Data = new Dictionary<string, byte[]>
        {
            [SignedArtifactSecret.ArtifactKey] = digest.Canonical,
            [SignedArtifactSecret.SignatureKey] = Convert.FromBase64String(signature.Signature),
            [SignedArtifactSecret.KeyIdKey] = Encoding.UTF8.GetBytes(signature.KeyId),
            [SignedArtifactSecret.SpecHashKey] = Encoding.UTF8.GetBytes(digest.Hash),
        },
    };
}
