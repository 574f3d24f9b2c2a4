using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Grains.Signing;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using k8s;
using k8s.Autorest;

namespace Conductor.Silo.Custody;

/// <summary>
/// Writes the outcome of verifying one PermissionSnapshot on the tenant, whether it was pulled from management or
/// pushed during onboarding. When verified: first the snapshot's copy in the receipt namespace (the spec and the
/// signature exactly as management signed them), then the PermissionSnapshotReceipt acknowledging that version. The
/// order matters: the PermissionService serves only a snapshot+receipt pair, so an acknowledged receipt must never
/// point at a copy that is not there yet. When refused, the receipt is unacknowledged and degraded, and the copy is
/// left as it is (without an acknowledged receipt nothing uses it). Writes are serialised: the pull loop and the
/// onboarding push may judge the same snapshot at once.
/// </summary>
public sealed class VerifiedSnapshotWriter(IKubernetes local, string @namespace, string cluster, TimeProvider time)
{
    private static readonly ReceiptApi SnapshotReceiptApi = new(GuardianApi.Group, GuardianApi.Version, PermissionSnapshotReceipt.Plural,
        PermissionSnapshotReceipt.KindName);

    private readonly ReceiptWriter _receipts = new(local, @namespace, time);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Records <paramref name="verdict"/> for snapshot <paramref name="name"/>.</summary>
    /// <param name="spec">The signed spec as management stores it; null when the snapshot is gone.</param>
    /// <param name="signature">The management-signature annotation value, when there is one.</param>
    /// <param name="published">False while management has not signed it yet (see <see cref="ReceiptWriter.WriteAsync"/>).</param>
    public async Task<ReceiptOutcome> WriteAsync(
        string name, JsonElement? spec, string? signature, CustodyVerdict verdict, bool published, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteHeldAsync(name, spec, signature, verdict, published, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records a pushed snapshot as <see cref="WriteAsync"/> does, unless the copy installed is a newer version: a push
    /// that arrives late (a re-sign overtaken by a newer version) never replaces it. On an equal version the push is
    /// installed, so the latest push of a version wins.
    /// </summary>
    /// <returns>The copy kept instead, or null when the push was recorded.</returns>
    public async Task<HeldSnapshotCopy?> WritePushedAsync(
        string name, JsonElement? spec, string signature, CustodyVerdict verdict, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (verdict.Verified && await ReadCopyAsync(name, cancellationToken) is { } installed
                && installed.TryGetProperty("spec", out var heldSpec) && VersionOf(heldSpec) is { } heldVersion && VersionOf(spec) is { } pushedVersion
                && SnapshotVersionOrder.IsNewer(heldVersion, pushedVersion))
            {
                return new HeldSnapshotCopy(heldVersion, Annotation(installed, SignatureAnnotations.Signature) ?? "");
            }
            await WriteHeldAsync(name, spec, signature, verdict, published: true, cancellationToken);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReceiptOutcome> WriteHeldAsync(
        string name, JsonElement? spec, string? signature, CustodyVerdict verdict, bool published, CancellationToken cancellationToken)
    {
        var version = VersionOf(spec);
        var copied = false;
        if (verdict.Verified)
        {
            copied = await InstallCopyAsync(name, spec!.Value, signature!, cancellationToken);
        }
        var initial = new JsonObject { ["snapshotRef"] = name, ["targetCluster"] = cluster };
        JsonObject? verifiedSpec = null;
        if (verdict.Verified)
        {
            verifiedSpec = (JsonObject)initial.DeepClone();
            verifiedSpec["version"] = version;
        }
        var outcome = await _receipts.WriteAsync(SnapshotReceiptApi, name, initial, verifiedSpec, verdict, observed => Status(observed, verdict, version),
            published, cancellationToken);
        return outcome with { Written = outcome.Written || copied };
    }

    private static string? VersionOf(JsonElement? spec) =>
        spec is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private JsonObject Status(JsonElement observed, CustodyVerdict verdict, string? version)
    {
        var acknowledgedAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (observed.ValueKind == JsonValueKind.Object && Text(observed, "acknowledgedVersion") == version && Text(observed, "acknowledgedAt") is { } since)
        {
            acknowledgedAt = since; // Acknowledged this version before: keep when.
        }
        return new JsonObject
        {
            ["verified"] = verdict.Verified,
            ["acknowledged"] = verdict.Verified,
            ["acknowledgedVersion"] = verdict.Verified ? version : null,
            ["acknowledgedAt"] = verdict.Verified ? acknowledgedAt : null,
        };
    }

    /// <summary>Creates or replaces (resourceVersion-guarded) the local copy; returns whether it wrote.</summary>
    private async Task<bool> InstallCopyAsync(string name, JsonElement spec, string signature, CancellationToken cancellationToken)
    {
        var hash = SpecDigest.Of(spec.GetRawText()).Hash;
        var existing = await ReadCopyAsync(name, cancellationToken);
        if (existing is { } current && Annotation(current, SignatureAnnotations.Signature) == signature
            && Annotation(current, SignatureAnnotations.SpecHash) == hash && current.TryGetProperty("spec", out var currentSpec)
            && JsonCanonicalizer.Canonicalize(currentSpec).AsSpan().SequenceEqual(JsonCanonicalizer.Canonicalize(spec)))
        {
            return false;
        }
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["annotations"] = new JsonObject { [SignatureAnnotations.Signature] = signature, [SignatureAnnotations.SpecHash] = hash },
        };
        var copy = new JsonObject
        {
            ["apiVersion"] = GuardianApi.ApiVersion,
            ["kind"] = PermissionSnapshot.KindName,
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse(spec.GetRawText()),
        };
        if (existing is { } stale)
        {
            metadata["resourceVersion"] = stale.GetProperty("metadata").GetProperty("resourceVersion").GetString();
            await local.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonElement>(copy, GuardianApi.Group, GuardianApi.Version, @namespace,
                PermissionSnapshot.Plural, name, cancellationToken: cancellationToken);
        }
        else
        {
            await local.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(copy, GuardianApi.Group, GuardianApi.Version, @namespace,
                PermissionSnapshot.Plural, cancellationToken: cancellationToken);
        }
        return true;
    }

    private async Task<JsonElement?> ReadCopyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await local.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(GuardianApi.Group, GuardianApi.Version, @namespace,
                PermissionSnapshot.Plural, name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string? Annotation(JsonElement resource, string key) =>
        resource.GetProperty("metadata").TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(key, out var value)
            ? value.GetString()
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;
}
