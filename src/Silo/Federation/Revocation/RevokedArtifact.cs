using System.Text.Json;
using Conductor.Federation;

namespace Conductor.Silo.Federation.Revocation;

/// <summary>Reads what a watch event of a signed artifact says about revocation, from the raw object.</summary>
public static class RevokedArtifact
{
    /// <summary>
    /// The revocation the event means, or null: an object carrying <see cref="Revocations.RevokedAnnotation"/>, or a
    /// deleted one, revokes the artifact for the cluster its spec targets (<paramref name="targetField"/>).
    /// </summary>
    public static RevocationNotice? From(JsonElement item, bool deleted, RevocationTarget target, string targetField, DateTimeOffset now)
    {
        var metadata = item.GetProperty("metadata");
        var annotations = metadata.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var reason = annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(Revocations.RevokedAnnotation, out var r)
            ? r.GetString()
            : null;
        if (!deleted && string.IsNullOrEmpty(reason))
        {
            return null;
        }

        var cluster = item.TryGetProperty("spec", out var spec) && spec.TryGetProperty(targetField, out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(cluster))
        {
            return null; // held by no cluster, so revoked for nobody
        }

        var @namespace = metadata.TryGetProperty("namespace", out var n) ? n.GetString() ?? "" : "";
        var name = metadata.GetProperty("name").GetString() ?? "";
        var uid = metadata.TryGetProperty("uid", out var u) ? u.GetString() : null;
        return new RevocationNotice(cluster, target, @namespace, name, string.IsNullOrEmpty(reason) ? "deleted on the management cluster" : reason,
            now, $"{target}/{@namespace}/{name}/{uid}");
    }
}
