using System.Text;
using System.Text.Json;
using Conductor.Custody;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using Conductor.Silo.Signing;
using k8s.Models;

namespace Conductor.Silo.Custody;

/// <summary>
/// Decides whether what management published for this cluster is authentic, before anything acts on it. A pack is
/// trusted only when its artifact Secret, its PackInstalled and the PackDelivery it names all carry valid signatures
/// from a trusted key, the artifact is exactly the signed PackInstalled spec, and nothing of it is revoked. A
/// PermissionSnapshot is trusted only when its signature is valid, it targets this cluster, and it is not revoked.
/// </summary>
public sealed class CustodyVerifier(string cluster, RevocationRegistry revocations)
{
    public CustodyVerdict VerifyPack(
        string name, V1Secret? artifact, SignableResource? packInstalled, Func<string, SignableResource?> packDelivery, TrustedKeySet trusted)
    {
        var verifier = new SpecVerifier(trusted);
        var secretName = SignedArtifactSecret.Name(cluster, name);
        var what = $"{PackInstalled.KindName} {SignedArtifactSecret.TenantNamespace(cluster)}/{name}";
        if (artifact is null)
        {
            return CustodyVerdict.Refused($"{what}: its artifact Secret {secretName} does not exist on management");
        }
        var data = artifact.Data ?? new Dictionary<string, byte[]>();
        var keyId = data.TryGetValue(SignedArtifactSecret.KeyIdKey, out var id) ? Encoding.UTF8.GetString(id) : null;
        var signature = data.TryGetValue(SignedArtifactSecret.SignatureKey, out var raw) ? Convert.ToBase64String(raw) : null;
        if (!data.TryGetValue(SignedArtifactSecret.ArtifactKey, out var bytes))
        {
            return CustodyVerdict.Refused($"{what}: artifact Secret {secretName} has no '{SignedArtifactSecret.ArtifactKey}'", signature);
        }
        JsonElement spec;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            spec = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return CustodyVerdict.Refused($"{what}: artifact Secret {secretName} is not JSON ({e.Message})", signature);
        }
        var artifactCheck = verifier.Verify(spec, keyId, signature);
        if (!artifactCheck.IsValid)
        {
            return CustodyVerdict.Refused($"{what}: artifact Secret {secretName}: {artifactCheck.Status}: {artifactCheck.Reason}", signature);
        }
        if (packInstalled is null)
        {
            return CustodyVerdict.Refused($"{what} does not exist on management, so its artifact is withdrawn", signature);
        }
        if (Check(verifier, packInstalled, what) is { } refusedInstalled)
        {
            return refusedInstalled with { Signature = signature };
        }
        if (!JsonCanonicalizer.Canonicalize(spec).AsSpan().SequenceEqual(JsonCanonicalizer.Canonicalize(packInstalled.Spec ?? default)))
        {
            return CustodyVerdict.Refused($"{what}: artifact Secret {secretName} does not hold the signed PackInstalled spec", signature);
        }
        var deliveryName = spec.TryGetProperty("clusterPackRef", out var reference) ? reference.GetString() ?? "" : "";
        var delivery = packDelivery(deliveryName);
        var deliveryWhat = $"{PackDelivery.KindName} {SignedArtifactSecret.TenantNamespace(cluster)}/{deliveryName}";
        if (delivery is null)
        {
            return CustodyVerdict.Refused($"{deliveryWhat}, named by {what}, does not exist on management", signature);
        }
        if (Check(verifier, delivery, deliveryWhat) is { } refusedDelivery)
        {
            return refusedDelivery with { Signature = signature };
        }
        if (revocations.Find(RevokedArtifactKind.PackInstalled, name, SignatureAnnotations.Format(new SpecSignature(keyId!, signature!))) is { } revoked)
        {
            return CustodyVerdict.Refused($"{what} was revoked by management ({revoked.RevocationId}): {revoked.Reason}", signature);
        }
        return new CustodyVerdict(true, $"{what} and {deliveryWhat} are signed by trusted key {keyId}", signature);
    }

    public CustodyVerdict VerifySnapshot(SignableResource snapshot, TrustedKeySet trusted)
    {
        var what = $"{PermissionSnapshot.KindName} {snapshot.Metadata.NamespaceProperty}/{snapshot.Metadata.Name}";
        SignatureAnnotations.TryParse(snapshot.Annotation(SignatureAnnotations.Signature), out var signature);
        if (Check(new SpecVerifier(trusted), snapshot, what) is { } refused)
        {
            return refused with { Signature = signature?.Signature };
        }
        var target = snapshot.Spec is { ValueKind: JsonValueKind.Object } spec && spec.TryGetProperty("targetCluster", out var value) ? value.GetString() : null;
        if (target != cluster)
        {
            return CustodyVerdict.Refused($"{what} targets cluster '{target}', not this cluster '{cluster}'", signature?.Signature);
        }
        if (revocations.Find(RevokedArtifactKind.PermissionSnapshot, snapshot.Metadata.Name, snapshot.Annotation(SignatureAnnotations.Signature)) is { } revoked)
        {
            return CustodyVerdict.Refused($"{what} was revoked by management ({revoked.RevocationId}): {revoked.Reason}", signature?.Signature);
        }
        return new CustodyVerdict(true, $"{what} is signed by trusted key {signature!.KeyId}", signature.Signature);
    }

    /// <summary>Verifies a resource's annotation against its spec; null when valid, else the refusal naming it.</summary>
    private static CustodyVerdict? Check(SpecVerifier verifier, SignableResource resource, string what)
    {
        var annotation = resource.Annotation(SignatureAnnotations.Signature);
        if (annotation is null)
        {
            return CustodyVerdict.Refused($"{what}: Missing: the {SignatureAnnotations.Signature} annotation is absent; it was never signed or the signature was removed");
        }
        if (!SignatureAnnotations.TryParse(annotation, out var signature))
        {
            return CustodyVerdict.Refused($"{what}: MalformedSignature: the {SignatureAnnotations.Signature} annotation is not '{{keyId}}:{{base64}}'");
        }
        var result = verifier.Verify(resource.Spec ?? default, signature.KeyId, signature.Signature);
        return result.IsValid ? null : CustodyVerdict.Refused($"{what}: {result.Status}: {result.Reason}");
    }
}
