using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Runner;
using Conductor.Signing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation.Onboarding;

/// <summary>
/// Management's half of the onboarding handshake (seed §15, import mode), on the management cluster: which signed
/// PermissionSnapshots of a tenant still wait for its acknowledgement, and the recording of the tenant's answer as the
/// PermissionSnapshotAcknowledged condition of its TalosCluster (and, when verified, the snapshot's
/// <c>status.lastAckedVersion</c> and <c>status.lastAckedSignatureDigest</c>). An acknowledgement counts for the version
/// AND the signature it names: a key rotation re-signs the same version, and the tenant's old-key copy stops verifying
/// once the old key is retired. The tenant verifies what it is sent; management sends only what carries a signature.
/// </summary>
public sealed partial class PermissionSnapshotHandshake(
    IKubernetes kube, IOptions<FederationGrainOptions> options, RunnerConfigConditionWriter conditions, ILogger<PermissionSnapshotHandshake> logger)
{
    /// <summary>Condition reason when the tenant verified and installed the snapshot.</summary>
    public const string AcknowledgedReason = "TenantAcknowledged";

    /// <summary>Condition reason when the tenant refused the snapshot.</summary>
    public const string RefusedReason = "TenantRefused";

    /// <summary>
    /// The signed snapshots targeting <paramref name="clusterId"/> whose acknowledgement is not recorded: the
    /// TalosCluster condition is not True, or the snapshot's <c>status.lastAckedVersion</c> is not its version, or its
    /// <c>status.lastAckedSignatureDigest</c> is not the digest of its current signature.
    /// </summary>
    public async Task<IReadOnlyList<PermissionSnapshotOffer>> PendingAsync(string clusterId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var @namespace = settings.TenantNamespaceOf(clusterId);
        var acknowledged = await ConditionIsTrueAsync(clusterId, cancellationToken);
        var list = await kube.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, @namespace, PermissionSnapshot.Plural, cancellationToken: cancellationToken);
        var pending = new List<PermissionSnapshotOffer>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            if (OfferOf(item, @namespace, clusterId) is not { } offer)
            {
                continue;
            }
            var status = item.TryGetProperty("status", out var s) ? s : default;
            if (acknowledged && Text(status, "lastAckedVersion") == offer.Version)
            {
                if (Text(status, "lastAckedSignatureDigest") == SignatureDigest.Of(offer.Signature))
                {
                    continue;
                }
                LogSignatureNotAcknowledged(logger, @namespace, offer.Name, offer.Version, clusterId);
            }
            pending.Add(offer);
        }
        return pending;
    }

    /// <summary>
    /// The offer of one snapshot, whatever its acknowledgement state (a new signature deserves a new answer); null
    /// when it is gone, unsigned, or targets another cluster.
    /// </summary>
    public async Task<PermissionSnapshotOffer?> OfferAsync(string clusterId, string name, CancellationToken cancellationToken)
    {
        var @namespace = options.Value.TenantNamespaceOf(clusterId);
        try
        {
            var item = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                GuardianApi.Group, GuardianApi.Version, @namespace, PermissionSnapshot.Plural, name, cancellationToken);
            return OfferOf(item, @namespace, clusterId);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            LogNotInTenantNamespace(logger, @namespace, name, clusterId);
            return null;
        }
    }

    private PermissionSnapshotOffer? OfferOf(JsonElement item, string @namespace, string clusterId)
    {
        var metadata = item.GetProperty("metadata");
        var name = metadata.GetProperty("name").GetString() ?? "";
        var spec = item.TryGetProperty("spec", out var s) ? s : default;
        if (Text(spec, "targetCluster") != clusterId)
        {
            return null;
        }
        var signature = metadata.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty(SignatureAnnotations.Signature, out var value)
            ? value.GetString()
            : null;
        if (signature is null)
        {
            LogNotSignedYet(logger, @namespace, name, clusterId);
            return null;
        }
        return new PermissionSnapshotOffer(@namespace, name, spec.GetRawText(), signature, Text(spec, "version") ?? "");
    }

    /// <summary>Records the tenant's answer on its TalosCluster and, when verified, on the snapshot.</summary>
    public async Task RecordAsync(string clusterId, PermissionSnapshotAcknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var @namespace = settings.TenantNamespaceOf(clusterId);
        LogRecording(logger, clusterId, @namespace, acknowledgement.Name, acknowledgement.AcknowledgedVersion, acknowledgement.Verified);
        if (acknowledgement.Verified)
        {
            await SetLastAckedAsync(@namespace, acknowledgement, cancellationToken);
        }
        var message = acknowledgement.Verified
            ? $"Cluster {clusterId} verified and acknowledged {PermissionSnapshot.KindName} {@namespace}/{acknowledgement.Name} version {acknowledgement.AcknowledgedVersion}"
                + $" (signature digest {Shown(acknowledgement.AcknowledgedSignatureDigest)})"
            : $"Cluster {clusterId} refused {PermissionSnapshot.KindName} {@namespace}/{acknowledgement.Name}: {acknowledgement.Reason}";
        await conditions.SetAsync(RunnerConfigConditionWriter.TalosClusters, settings.TalosClusterNamespaceOf(clusterId), clusterId,
            ConditionTypes.PermissionSnapshotAcknowledged, acknowledgement.Verified,
            acknowledgement.Verified ? AcknowledgedReason : RefusedReason, message, absentMeansFalse: false, cancellationToken);
    }

    private async Task SetLastAckedAsync(string @namespace, PermissionSnapshotAcknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        try
        {
            // An acknowledgement without a digest (a tenant built before digests) records none, so the snapshot is
            // offered again at each connect rather than taken as acknowledged whatever its signature.
            var digest = acknowledgement.AcknowledgedSignatureDigest is { Length: > 0 } d ? d : null;
            var patch = new JsonObject
            {
                ["status"] = new JsonObject { ["lastAckedVersion"] = acknowledgement.AcknowledgedVersion, ["lastAckedSignatureDigest"] = digest },
            };
            await kube.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonElement>(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), GuardianApi.Group, GuardianApi.Version, @namespace,
                PermissionSnapshot.Plural, acknowledgement.Name, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            LogSnapshotGone(logger, @namespace, acknowledgement.Name);
        }
    }

    private async Task<bool> ConditionIsTrueAsync(string clusterId, CancellationToken cancellationToken)
    {
        var target = RunnerConfigConditionWriter.TalosClusters;
        try
        {
            var cluster = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                target.Group, target.Version, options.Value.TalosClusterNamespaceOf(clusterId), target.Plural, clusterId, cancellationToken);
            return cluster.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var list)
                && list.ValueKind == JsonValueKind.Array
                && list.EnumerateArray().Any(c => Text(c, "type") == ConditionTypes.PermissionSnapshotAcknowledged && Text(c, "status") == "True");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string Shown(string digest) => digest.Length == 0 ? "none" : digest[..Math.Min(12, digest.Length)];

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(EventId = 3130, Level = LogLevel.Information,
        Message = "Not pushing PermissionSnapshot {Namespace}/{Name} to cluster {ClusterId}: it is not signed yet")]
    private static partial void LogNotSignedYet(ILogger logger, string @namespace, string name, string clusterId);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Information,
        Message = "Recording cluster {ClusterId}'s answer for PermissionSnapshot {Namespace}/{Name} version {Version}: verified {Verified}")]
    private static partial void LogRecording(ILogger logger, string clusterId, string @namespace, string name, string version, bool verified);

    [LoggerMessage(EventId = 3132, Level = LogLevel.Warning,
        Message = "PermissionSnapshot {Namespace}/{Name} was deleted before its acknowledgement could be recorded on it")]
    private static partial void LogSnapshotGone(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 3133, Level = LogLevel.Information,
        Message = "Not pushing PermissionSnapshot {Name} to cluster {ClusterId}: it is not in the cluster's tenant namespace {Namespace}")]
    private static partial void LogNotInTenantNamespace(ILogger logger, string @namespace, string name, string clusterId);

    [LoggerMessage(EventId = 3134, Level = LogLevel.Information,
        Message = "PermissionSnapshot {Namespace}/{Name} version {Version} was re-signed (or not acknowledged with a signature) since cluster {ClusterId} acknowledged it; offering the current signature")]
    private static partial void LogSignatureNotAcknowledged(ILogger logger, string @namespace, string name, string version, string clusterId);
}
