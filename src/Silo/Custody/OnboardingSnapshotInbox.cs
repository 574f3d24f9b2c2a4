using System.Text.Json;
using Conductor.Custody;
using Conductor.Federation;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using Conductor.Silo.Leadership;
using Conductor.Silo.Signing;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Custody;

/// <summary>
/// The tenant's half of the onboarding handshake (seed §15): verifies a PermissionSnapshot management pushed over the
/// federation channel against the trusted management keys, exactly as the pull loop verifies a pulled one; installs the
/// verified snapshot and writes its receipt (<see cref="VerifiedSnapshotWriter"/>); reports to the cluster's security
/// state; and answers with what the receipt says. Only the leader writes: a push that reaches another replica is refused
/// without touching anything (the leader is the one that dials, so this is a race at a leadership change).
/// </summary>
public sealed partial class OnboardingSnapshotInbox(
    IOptions<CustodyOptions> options, VerifiedSnapshotWriter snapshots, SecurityStateReporter security, RevocationRegistry revocations,
    ILeadership leadership, ILogger<OnboardingSnapshotInbox> logger) : IPermissionSnapshotInbox
{
    public async Task<PermissionSnapshotAcknowledgement> ReceiveAsync(PermissionSnapshotOffer offer, CancellationToken cancellationToken)
    {
        var what = $"{PermissionSnapshot.KindName} {offer.Namespace}/{offer.Name}";
        if (!leadership.IsLeader)
        {
            return new PermissionSnapshotAcknowledgement(offer.Name, "", false,
                $"{what}: this replica ({leadership.Identity}) is not the leader; the leader acknowledges it when it connects");
        }
        LogReceived(logger, offer.Namespace, offer.Name, offer.Version);
        var (verdict, spec) = Verify(offer, what);
        if (await snapshots.WritePushedAsync(offer.Name, spec, offer.Signature, verdict, cancellationToken) is { } held)
        {
            // A late push of an older version: the newer copy stays, and the answer says which one is held.
            LogSuperseded(logger, offer.Namespace, offer.Name, offer.Version, held.Version);
            return new PermissionSnapshotAcknowledgement(offer.Name, held.Version, true,
                $"{what} version {offer.Version} is older than the installed version {held.Version}, which stays installed")
            {
                AcknowledgedSignatureDigest = SignatureDigest.Of(held.Signature),
            };
        }
        await security.ReportAsync(CustodyService.SecurityKey(snapshot: true, offer.Name), verdict, cancellationToken);
        if (!verdict.Verified)
        {
            LogRefused(logger, offer.Namespace, offer.Name, verdict.Reason);
        }
        return new PermissionSnapshotAcknowledgement(offer.Name, verdict.Verified ? offer.Version : "", verdict.Verified, verdict.Reason)
        {
            AcknowledgedSignatureDigest = verdict.Verified ? SignatureDigest.Of(offer.Signature) : "",
        };
    }

    private (CustodyVerdict Verdict, JsonElement? Spec) Verify(PermissionSnapshotOffer offer, string what)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.PublicKeysDirectory))
        {
            return (CustodyVerdict.Refused($"{what}: no trusted management keys: set {CustodyOptions.PublicKeysDirEnvVar} to the mounted public keys"), null);
        }
        TrustedKeySet trusted;
        try
        {
            trusted = TrustedKeysDirectory.Read(settings.PublicKeysDirectory);
        }
        catch (SigningKeyException e)
        {
            return (CustodyVerdict.Refused($"{what}: {CustodyOptions.PublicKeysDirEnvVar}: {e.Message}"), null);
        }
        JsonElement spec;
        try
        {
            using var document = JsonDocument.Parse(offer.SpecJson);
            spec = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (CustodyVerdict.Refused($"{what}: the pushed spec is not JSON ({e.Message})"), null);
        }
        var resource = new SignableResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = offer.Name,
                NamespaceProperty = offer.Namespace,
                Annotations = new Dictionary<string, string> { [SignatureAnnotations.Signature] = offer.Signature },
            },
            Spec = spec,
        };
        var verdict = new CustodyVerifier(settings.ClusterRef, revocations).VerifySnapshot(resource, trusted);
        var version = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("version", out var v) ? v.ToString() : null;
        if (verdict.Verified && version != offer.Version)
        {
            verdict = CustodyVerdict.Refused($"{what}: the push names version '{offer.Version}' but the signed spec is version '{version}'", verdict.Signature);
        }
        return (verdict, spec);
    }

    [LoggerMessage(1, LogLevel.Information, "Verifying PermissionSnapshot {Namespace}/{Name} version {Version} pushed by management (onboarding)")]
    private static partial void LogReceived(ILogger logger, string @namespace, string name, string version);

    [LoggerMessage(3, LogLevel.Information,
        "Keeping PermissionSnapshot {Namespace}/{Name} version {HeldVersion}: management's push of version {Version} arrived after it")]
    private static partial void LogSuperseded(ILogger logger, string @namespace, string name, string version, string heldVersion);

    [LoggerMessage(2, LogLevel.Warning, "DegradedSecurityState: PermissionSnapshot {Namespace}/{Name} pushed by management refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string @namespace, string name, string reason);
}
