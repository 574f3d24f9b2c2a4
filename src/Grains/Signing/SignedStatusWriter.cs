using System.Net;
using System.Text.Json.Nodes;
using Conductor.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Signing;

/// <summary>
/// Mirrors the signature into the status fields the models define, so <c>kubectl get</c> shows it: <c>status.signed</c>
/// on PackDelivery and PermissionSnapshot, and <c>status.packSignature</c> (the raw signature, base64) on PackDelivery.
/// PackInstalled has no such field. Written with a status merge patch only when the observation differs.
/// </summary>
public sealed class SignedStatusWriter(IKubernetes client)
{
    /// <summary>Makes the status say <paramref name="desired"/> (null: not signed); returns whether it wrote.</summary>
    public async Task<bool> EnsureAsync(SigningRequest observed, DesiredSignature? desired, CancellationToken cancellationToken)
    {
        if (observed.Kind == SignedKind.PackInstalled)
        {
            return false;
        }
        var signed = desired is not null;
        var status = new JsonObject();
        if (observed.StatusSigned != signed)
        {
            status["signed"] = signed;
        }
        if (observed.Kind == SignedKind.PackDelivery)
        {
            string? packSignature = null;
            if (desired is not null && SignatureAnnotations.TryParse(desired.Signature, out var signature))
            {
                packSignature = signature.Signature;
            }
            if (!string.Equals(observed.StatusPackSignature, packSignature, StringComparison.Ordinal))
            {
                status["packSignature"] = packSignature;
            }
        }
        if (status.Count == 0)
        {
            return false;
        }
        var api = SignedKindApi.Of(observed.Kind);
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<System.Text.Json.JsonElement>(
                new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
                api.Group, api.Version, observed.Namespace, api.Plural, observed.Name, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false; // deleted meanwhile
        }
    }
}
