using System.Text.Json;

namespace Conductor.Silo.Webhook;

/// <summary>
/// The sealed causal chain: <c>spec.lineage</c> is written at creation and never changed. An UPDATE that changes or
/// removes it is denied; creation, deletion and updates that keep it are allowed.
/// </summary>
public static class LineagePolicy
{
    public static AdmissionDecision Decide(AdmissionRequest request)
    {
        if (request.Operation != "UPDATE")
        {
            return AdmissionDecision.Allow("only updates can change the lineage");
        }
        var before = Lineage(request.OldObject);
        if (before is null)
        {
            return AdmissionDecision.Allow("the object had no lineage");
        }
        var after = Lineage(request.Object);
        if (after is { } now && JsonElement.DeepEquals(before.Value, now))
        {
            return AdmissionDecision.Allow("lineage unchanged");
        }
        var where = request.Namespace is { Length: > 0 } ns ? $"{ns}/{request.Name}" : request.Name;
        return AdmissionDecision.Forbid(
            $"{request.Kind?.Kind} {where}: spec.lineage is a sealed causal chain, immutable after creation. " +
            "Keep spec.lineage exactly as it was; to record a different origin, create a new object.");
    }

    private static JsonElement? Lineage(JsonElement? obj) =>
        obj is { ValueKind: JsonValueKind.Object } o
        && o.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
        && spec.TryGetProperty("lineage", out var lineage) && lineage.ValueKind != JsonValueKind.Null
            ? lineage
            : null;
}
