using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Signing;

/// <summary>
/// Writes the signature annotations with a JSON merge patch that carries the observed resourceVersion: the API server
/// applies it only if nobody wrote the object since it was read, and answers 409 Conflict otherwise (STYLE 12).
/// </summary>
public sealed class AnnotationWriter(IKubernetes client)
{
    /// <summary>Writes the annotations (null values remove them); null result when the write lost a race (409).</summary>
    /// <returns>The resourceVersion after the write, or null on a conflict.</returns>
    public async Task<string?> WriteAsync(SigningRequest observed, DesiredSignature? desired, CancellationToken cancellationToken)
    {
        var api = SignedKindApi.Of(observed.Kind);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = observed.ResourceVersion,
                ["annotations"] = new JsonObject
                {
                    [SignatureAnnotations.Signature] = desired?.Signature,
                    [SignatureAnnotations.SpecHash] = desired?.SpecHash,
                },
            },
        };
        try
        {
            var result = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), api.Group, api.Version, observed.Namespace, api.Plural,
                observed.Name, cancellationToken: cancellationToken);
            return result.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>Reads the resource again after a conflict; null when it is gone.</summary>
    public async Task<SigningRequest?> ReadAsync(SigningRequest stale, CancellationToken cancellationToken)
    {
        var api = SignedKindApi.Of(stale.Kind);
        try
        {
            var current = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                api.Group, api.Version, stale.Namespace, api.Plural, stale.Name, cancellationToken);
            var metadata = current.GetProperty("metadata");
            string? annotation(string key) =>
                metadata.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(key, out var value) ? value.GetString() : null;
            return stale with
            {
                ResourceVersion = metadata.GetProperty("resourceVersion").GetString() ?? "",
                SpecJson = current.TryGetProperty("spec", out var spec) ? spec.GetRawText() : "null",
                SignatureAnnotation = annotation(SignatureAnnotations.Signature),
                SpecHashAnnotation = annotation(SignatureAnnotations.SpecHash),
                StatusSigned = StatusField(current, "signed") is { ValueKind: JsonValueKind.True or JsonValueKind.False } signed ? signed.GetBoolean() : null,
                StatusPackSignature = StatusField(current, "packSignature") is { ValueKind: JsonValueKind.String } packSignature ? packSignature.GetString() : null,
            };
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static JsonElement? StatusField(JsonElement resource, string name) =>
        resource.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty(name, out var value)
            ? value
            : null;
}
