using System.Text.Json;
using Conductor.Observability;
using Conductor.Signing;
using k8s;
using Microsoft.Extensions.Logging;

namespace Conductor.Grains.Signing;

/// <summary>
/// Signs one resource (see <see cref="ISigningGrain"/>). Every call starts from the observation it is given and writes
/// only what differs from the desired state, so repeated or concurrent deliveries of the same event are harmless; the
/// resourceVersion guard turns a stale observation into a conflict, after which the grain reads again and re-decides.
/// </summary>
public sealed partial class SigningGrain(
    IKubernetes client, ISigningKeys keys, ILogger<SigningGrain> logger, ConductorMetrics? metrics = null, ISignedSnapshotPush? snapshotPush = null)
    : Grain, ISigningGrain
{
    private const int MaxConflictRetries = 5;
    private const int RememberedVersions = 8;

    private readonly AnnotationWriter _annotations = new(client);
    private readonly ArtifactSecretWriter _artifacts = new(client);
    private readonly SignedStatusWriter _status = new(client);

    // resourceVersions this activation has itself replaced by writing: an observation at one of them is already
    // handled, which spares a 409 round trip when every silo delivers the same watch event.
    private readonly Queue<string> _superseded = new();

    public async Task<SigningOutcome> SignAsync(SigningRequest request)
    {
        if (_superseded.Contains(request.ResourceVersion))
        {
            return new SigningOutcome { Action = SigningAction.Superseded };
        }
        var cancellationToken = CancellationToken.None;
        var observed = request;
        for (var attempt = 0; ; attempt++)
        {
            SpecDigest digest;
            try
            {
                digest = SpecDigest.Of(observed.SpecJson);
            }
            catch (Exception e) when (e is JsonCanonicalizationException or JsonException)
            {
                return await RefuseAsync(observed, e.Message, cancellationToken);
            }
            var key = keys.Current;
            var desired = DesiredSignature.For(digest, key);
            var action = SigningAction.Unchanged;
            if (!desired.MatchesAnnotations(observed.SignatureAnnotation, observed.SpecHashAnnotation))
            {
                LogSigning(logger, SignedKindApi.Of(observed.Kind).KindName, observed.Namespace, observed.Name, observed.ResourceVersion, key.KeyId, digest.Hash);
                var written = await _annotations.WriteAsync(observed, desired, cancellationToken);
                if (written is null)
                {
                    if (attempt >= MaxConflictRetries)
                    {
                        throw new InvalidOperationException(
                            $"{observed.Kind} {observed.Namespace}/{observed.Name} kept changing while being signed ({MaxConflictRetries} conflicts in a row)");
                    }
                    Remember(observed.ResourceVersion);
                    var fresh = await _annotations.ReadAsync(observed, cancellationToken);
                    if (fresh is null)
                    {
                        return new SigningOutcome { Action = SigningAction.Gone };
                    }
                    // The artifact state travels with the request; a fresh read of the resource does not change it.
                    observed = fresh;
                    continue;
                }
                Remember(observed.ResourceVersion);
                metrics?.SignatureProduced();
                action = SigningAction.Signed;
            }
            await _status.EnsureAsync(observed, desired, cancellationToken);
            var artifactWritten = observed.Kind == SignedKind.PackInstalled
                && await EnsureArtifactAsync(observed, digest, desired, cancellationToken);
            if (action == SigningAction.Signed && observed.Kind == SignedKind.PermissionSnapshot)
            {
                await PushSnapshotAsync(observed);
            }
            return new SigningOutcome { Action = action, Signature = desired.Signature, ArtifactWritten = artifactWritten };
        }
    }

    private async Task<bool> EnsureArtifactAsync(SigningRequest observed, SpecDigest digest, DesiredSignature desired, CancellationToken cancellationToken)
    {
        if (observed.Artifact is { } artifact && artifact.Signature == desired.Signature && artifact.SpecHash == desired.SpecHash)
        {
            return false;
        }
        var cluster = TargetCluster(observed.SpecJson);
        if (string.IsNullOrEmpty(cluster))
        {
            LogNoTargetCluster(logger, observed.Namespace, observed.Name);
            return false;
        }
        SignatureAnnotations.TryParse(desired.Signature, out var signature);
        return await _artifacts.EnsureAsync(cluster, observed.Name, digest, signature!, cancellationToken);
    }

    /// <summary>A connected tenant gets a new snapshot signature now; failing that, its pull loop or next connect brings it.</summary>
    private async Task PushSnapshotAsync(SigningRequest observed)
    {
        if (snapshotPush is null || Text(observed.SpecJson, "targetCluster") is not { Length: > 0 } cluster)
        {
            return;
        }
        try
        {
            await snapshotPush.SignedAsync(cluster, observed.Name);
        }
        catch (Exception e)
        {
            LogPushFailed(logger, e, observed.Namespace, observed.Name, cluster);
        }
    }

    private async Task<SigningOutcome> RefuseAsync(SigningRequest observed, string reason, CancellationToken cancellationToken)
    {
        LogRefused(logger, SignedKindApi.Of(observed.Kind).KindName, observed.Namespace, observed.Name, reason);
        // A signature of an earlier spec must not stay beside a spec nobody signed.
        if (observed.SignatureAnnotation is not null || observed.SpecHashAnnotation is not null)
        {
            if (await _annotations.WriteAsync(observed, null, cancellationToken) is not null)
            {
                Remember(observed.ResourceVersion);
            }
        }
        return new SigningOutcome { Action = SigningAction.Refused, Reason = reason };
    }

    private void Remember(string resourceVersion)
    {
        _superseded.Enqueue(resourceVersion);
        while (_superseded.Count > RememberedVersions)
        {
            _superseded.Dequeue();
        }
    }

    private static string? TargetCluster(string specJson) => Text(specJson, "targetClusterRef");

    private static string? Text(string specJson, string property)
    {
        using var spec = JsonDocument.Parse(specJson);
        return spec.RootElement.ValueKind == JsonValueKind.Object && spec.RootElement.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    [LoggerMessage(1, LogLevel.Information, "Signing {Kind} {Namespace}/{Name} at resourceVersion {ResourceVersion} with key {KeyId} (spec hash {SpecHash})")]
    private static partial void LogSigning(ILogger logger, string kind, string @namespace, string name, string resourceVersion, string keyId, string specHash);

    [LoggerMessage(2, LogLevel.Warning, "Not storing the artifact of PackInstalled {Namespace}/{Name}: spec.targetClusterRef is empty; set it to the cluster the pack is for")]
    private static partial void LogNoTargetCluster(ILogger logger, string @namespace, string name);

    [LoggerMessage(3, LogLevel.Error, "Refusing to sign {Kind} {Namespace}/{Name}: {Reason}; fix the spec so it is valid I-JSON")]
    private static partial void LogRefused(ILogger logger, string kind, string @namespace, string name, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Could not push the new signature of PermissionSnapshot {Namespace}/{Name} to cluster {ClusterId}; it arrives by its pull loop or next connect")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string @namespace, string name, string clusterId);
}
