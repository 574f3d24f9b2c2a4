using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Runner;
using Conductor.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Custody;

/// <summary>
/// Writes a receipt on the tenant cluster without blind writes (STYLE 12): create it when absent; change its spec only
/// when verified content differs (resourceVersion-guarded); patch its status only when a field differs. A JSON merge
/// patch with explicit nulls removes stale fields, so an old failure reason never outlives a later success.
/// </summary>
public sealed class ReceiptWriter(IKubernetes client, string @namespace, TimeProvider time)
{
    /// <summary>Condition reason when the signature verified.</summary>
    public const string VerifiedReason = "SignatureVerified";

    /// <summary>Makes the receipt say <paramref name="verdict"/>; returns whether anything was written and whether the receipt exists.</summary>
    /// <param name="api">Group, version and plural of the receipt kind.</param>
    /// <param name="initialSpec">The spec to create the receipt with when it does not exist.</param>
    /// <param name="verifiedSpec">The spec to hold when verified; null leaves the spec as it is.</param>
    /// <param name="statusFor">
    /// Kind-specific status fields, given the observed status; the shared verification fields are added here. A field
    /// set to null is removed; a field left out is left as it is.
    /// </param>
    /// <param name="published">
    /// False while management has not yet published the artifact (never signed, no artifact Secret yet): no receipt is
    /// created for it, so a resource caught between creation and signing raises no alarm. An existing receipt is
    /// still updated, so stripping a signature from something already received does.
    /// </param>
    public async Task<ReceiptOutcome> WriteAsync(ReceiptApi api, string name, JsonObject initialSpec, JsonObject? verifiedSpec, CustodyVerdict verdict,
        Func<JsonElement, JsonObject> statusFor, bool published, CancellationToken cancellationToken)
    {
        var written = false;
        var existing = await ReadAsync(api, name, cancellationToken);
        if (existing is null && !published)
        {
            return new ReceiptOutcome(Written: false, Exists: false);
        }
        if (existing is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = $"{api.Group}/{api.Version}",
                ["kind"] = api.Kind,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
                ["spec"] = (verifiedSpec ?? initialSpec).DeepClone(),
            };
            existing = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(created, api.Group, api.Version, @namespace, api.Plural,
                cancellationToken: cancellationToken);
            written = true;
        }
        else if (verifiedSpec is not null && !SameJson(existing.Value.GetProperty("spec"), verifiedSpec))
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = existing.Value.GetProperty("metadata").GetProperty("resourceVersion").GetString() },
                ["spec"] = WithRemovals(existing.Value.GetProperty("spec"), verifiedSpec),
            };
            existing = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                api.Group, api.Version, @namespace, api.Plural, name, cancellationToken: cancellationToken);
            written = true;
        }

        var observed = existing.Value.TryGetProperty("status", out var current) ? current : default;
        var status = statusFor(observed);
        status["degradedSecurityState"] = !verdict.Verified;
        status["degradedReason"] = verdict.Verified ? null : verdict.Reason;
        status["conditions"] = new JsonArray(Condition(observed, verdict));
        if (!StatusMatches(observed, status))
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonElement>(
                new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
                api.Group, api.Version, @namespace, api.Plural, name, cancellationToken: cancellationToken);
            written = true;
        }
        return new ReceiptOutcome(written, Exists: true);
    }

    private async Task<JsonElement?> ReadAsync(ReceiptApi api, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(api.Group, api.Version, @namespace, api.Plural, name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The DegradedSecurityState condition; its transition time moves only when its status does.</summary>
    private JsonObject Condition(JsonElement observedStatus, CustodyVerdict verdict)
    {
        var status = verdict.Verified ? "False" : "True";
        var since = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        if (observedStatus.ValueKind == JsonValueKind.Object && observedStatus.TryGetProperty("conditions", out var conditions)
            && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (condition.TryGetProperty("type", out var type) && type.GetString() == ConditionTypes.DegradedSecurityState
                    && condition.TryGetProperty("status", out var was) && was.GetString() == status
                    && condition.TryGetProperty("lastTransitionTime", out var at))
                {
                    since = at.GetString() ?? since;
                }
            }
        }
        return new JsonObject
        {
            ["type"] = ConditionTypes.DegradedSecurityState,
            ["status"] = status,
            ["reason"] = verdict.Verified ? VerifiedReason : ConditionReasons.SignatureInvalid,
            ["message"] = verdict.Reason,
            ["lastTransitionTime"] = since,
        };
    }

    private static bool StatusMatches(JsonElement observed, JsonObject desired)
    {
        foreach (var (key, value) in desired)
        {
            var has = observed.ValueKind == JsonValueKind.Object && observed.TryGetProperty(key, out var current) && current.ValueKind != JsonValueKind.Null;
            if (value is null)
            {
                if (has)
                {
                    return false;
                }
                continue;
            }
            if (!has || !SameJson(observed.GetProperty(key), value))
            {
                return false;
            }
        }
        return true;
    }

    private static JsonObject WithRemovals(JsonElement existing, JsonObject desired)
    {
        var patch = (JsonObject)desired.DeepClone();
        foreach (var property in existing.EnumerateObject())
        {
            if (!desired.ContainsKey(property.Name))
            {
                patch[property.Name] = null;
            }
        }
        return patch;
    }

    private static bool SameJson(JsonElement a, JsonNode b) =>
        JsonCanonicalizer.Canonicalize(a).AsSpan().SequenceEqual(JsonCanonicalizer.Canonicalize(b));
}

/// <summary>Whether a receipt write changed anything, and whether the receipt exists afterwards.</summary>
public readonly record struct ReceiptOutcome(bool Written, bool Exists);

/// <summary>Group, version, plural and kind of a receipt.</summary>
public sealed record ReceiptApi(string Group, string Version, string Plural, string Kind);
