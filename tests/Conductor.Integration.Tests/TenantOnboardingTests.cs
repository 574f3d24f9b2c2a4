using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Grains.Federation.Onboarding;
using Conductor.Grains.Signing;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Resources.Platform;
using Conductor.Runner;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.TestSupport.Logging;
using Grpc.Health.V1;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Conductor.Integration.Tests;

/// <summary>
/// The onboarding handshake (seed §15, import mode) end to end: a management silo with the federation gateway on the
/// management apiserver, and a tenant agent (Lease leader, federation client, custody verification, PermissionService)
/// on the tenant apiserver, over real Kestrel mTLS. Management pushes the cluster's signed PermissionSnapshot when the
/// tenant connects; the tenant verifies, installs it with its receipt and acknowledges; management records the answer
/// on the tenant's TalosCluster.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class TenantOnboardingTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncDisposable
{
    private static readonly Ed25519PrivateKey ManagementKey = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey OtherKey = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey RotatedKey = Ed25519PrivateKey.Generate();

    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<IAsyncDisposable> _running = [];

    // Orleans logs the first when the only silo stops and its activations have nowhere to migrate; ASP.NET logs each
    // NOT_SERVING health answer at Error, and the PermissionService is not serving before onboarding by design.
    private readonly HashSet<string> _expectedErrors = new(StringComparer.Ordinal) { "LogErrorSelectingMigrationDestination", "HealthCheckEnd" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_SignedSnapshotPushed_ReceiptAcknowledgedConditionRecordedAndPermissionServiceServing()
    {
        var (management, tenant) = await PrepareAsync("onb", ManagementKey);
        var snapshot = await CreateSignedSnapshotAsync(tenant.ClusterId, ManagementKey);
        await CreateTalosClusterAsync(tenant.ClusterId);
        // The tenant starts first, so there is no one to onboard it yet: not serving without a verified snapshot.
        await tenant.StartAsync();
        Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Serving, await tenant.HealthAsync());
        await management.StartAsync();

        var receipt = await Eventually.MatchAsync(() => ReadReceiptAsync(tenant, snapshot), r => r?.Status?.Acknowledged == true, "receipt acknowledged");
        var condition = await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId), c => c?.Status == "True", "TalosCluster condition True");
        var serving = await Eventually.MatchAsync(tenant.HealthAsync, s => s == HealthCheckResponse.Types.ServingStatus.Serving, "PermissionService serving");
        var copy = await fixture.Tenant.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, tenant.Namespace, PermissionSnapshot.Plural, snapshot, Ct);
        var onManagement = await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, snapshot);

        Assert.True(receipt!.Status!.Verified);
        Assert.Equal(Version, receipt.Status.AcknowledgedVersion);
        Assert.Equal(Version, receipt.Spec.Version);
        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition!.Reason);
        Assert.Contains($"{fixture.ManagementNamespace}/{snapshot} version {Version}", condition.Message, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving);
        Assert.Equal(onManagement.GetProperty("metadata").GetProperty("annotations").GetProperty(SignatureAnnotations.Signature).GetString(),
            copy.GetProperty("metadata").GetProperty("annotations").GetProperty(SignatureAnnotations.Signature).GetString());
        Assert.Equal(Version, onManagement.GetProperty("status").GetProperty("lastAckedVersion").GetString());
        var runnerConfig = await FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId);
        Assert.DoesNotContain(runnerConfig.Status?.Conditions ?? [], c => c.Type == ConditionTypes.DegradedSecurityState && c.Status == "True");
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogOffering");
    }

    [Fact]
    public async Task Connect_TamperedSnapshotPushed_RefusedDegradedAndNotAcknowledged()
    {
        var (management, tenant) = await PrepareAsync("tmp", ManagementKey);
        var snapshot = await CreateSignedSnapshotAsync(tenant.ClusterId, ManagementKey);
        await CreateTalosClusterAsync(tenant.ClusterId);
        // Changed after signing: the annotation no longer covers the spec.
        await PatchSnapshotAsync(snapshot, new JsonObject { ["spec"] = new JsonObject { ["freshnessWindowSeconds"] = 999999 } });
        await management.StartAsync();
        await tenant.StartAsync();

        var receipt = await Eventually.MatchAsync(() => ReadReceiptAsync(tenant, snapshot), r => r?.Status?.DegradedSecurityState == true, "receipt degraded");
        var condition = await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId), c => c is not null, "TalosCluster condition");
        var degraded = await Eventually.MatchAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId),
            r => r.Status?.Conditions?.Any(c => c.Type == ConditionTypes.DegradedSecurityState && c.Status == "True") == true, "RunnerConfig degraded");

        Assert.NotEqual(true, receipt!.Status!.Acknowledged);
        Assert.Null(receipt.Status.AcknowledgedVersion);
        Assert.Contains($"PermissionSnapshot {fixture.ManagementNamespace}/{snapshot}", receipt.Status.DegradedReason, StringComparison.Ordinal);
        Assert.Contains(nameof(SpecVerificationStatus.BadSignature), receipt.Status.DegradedReason, StringComparison.Ordinal);
        Assert.Equal("False", condition!.Status);
        Assert.Equal(PermissionSnapshotHandshake.RefusedReason, condition.Reason);
        Assert.Contains(nameof(SpecVerificationStatus.BadSignature), condition.Message, StringComparison.Ordinal);
        var securityState = Assert.Single(degraded.Status!.Conditions!, c => c.Type == ConditionTypes.DegradedSecurityState);
        Assert.Equal(ConditionReasons.SignatureInvalid, securityState.Reason);
        Assert.Contains($"PermissionSnapshot {fixture.ManagementNamespace}/{snapshot}", securityState.Message, StringComparison.Ordinal);
        Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Serving, await tenant.HealthAsync());
        var onManagement = await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, snapshot);
        Assert.False(onManagement.TryGetProperty("status", out var status) && status.TryGetProperty("lastAckedVersion", out _));
    }

    [Fact]
    public async Task Reconnect_RefusedSnapshotResigned_PushedAgainAcknowledgedAndDegradedCleared()
    {
        var (management, tenant) = await PrepareAsync("rep", ManagementKey);
        var snapshot = await CreateSignedSnapshotAsync(tenant.ClusterId, OtherKey);
        await CreateTalosClusterAsync(tenant.ClusterId);
        await management.StartAsync();
        await tenant.StartAsync();
        await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId), c => c?.Status == "False", "refused (unknown key)");

        // Management re-signs with the key the tenant trusts; the next connect pushes it again.
        await SignAsync(snapshot, ManagementKey);
        await management.StopAsync();
        await management.StartAsync();

        var condition = await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId), c => c?.Status == "True", "acknowledged after reconnect");
        var receipt = await Eventually.MatchAsync(() => ReadReceiptAsync(tenant, snapshot), r => r?.Status?.Acknowledged == true, "receipt acknowledged");
        var cleared = await Eventually.MatchAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId),
            r => r.Status?.Conditions?.Any(c => c.Type == ConditionTypes.DegradedSecurityState && c.Status == "False") == true, "degraded cleared");

        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition!.Reason);
        Assert.False(receipt!.Status!.DegradedSecurityState);
        Assert.Equal(SecurityStateReporter.VerifiedReason,
            Assert.Single(cleared.Status!.Conditions!, c => c.Type == ConditionTypes.DegradedSecurityState).Reason);
        Assert.True(_logs.Entries.Count(e => e.EventId.Name == "LogOffering") >= 2);
    }

    [Fact]
    public async Task Sign_NewSnapshotVersionMidSession_PushedOnOpenStreamAcknowledgedAndRecorded()
    {
        var (management, tenant) = await PrepareAsync("live", ManagementKey, signer: ManagementKey);
        var snapshot = await CreateSignedSnapshotAsync(tenant.ClusterId, ManagementKey);
        await CreateTalosClusterAsync(tenant.ClusterId);
        await management.StartAsync();
        await tenant.StartAsync();
        await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId), c => c?.Status == "True", "first version acknowledged");
        var before = await management.SessionAsync(tenant.ClusterId);

        // A new version while the tenant stays connected: the management signer re-signs it and pushes it at once.
        await PatchSnapshotAsync(snapshot, new JsonObject { ["spec"] = new JsonObject { ["version"] = NextVersion } });

        var condition = await Eventually.MatchAsync(() => ReadConditionAsync(tenant.ClusterId),
            c => c?.Status == "True" && c.Message?.Contains($"version {NextVersion}", StringComparison.Ordinal) == true, "new version acknowledged");
        var receipt = await Eventually.MatchAsync(() => ReadReceiptAsync(tenant, snapshot), r => r?.Status?.AcknowledgedVersion == NextVersion, "receipt of new version");
        var onManagement = await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, snapshot);
        var after = await management.SessionAsync(tenant.ClusterId);

        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition!.Reason);
        Assert.Equal(NextVersion, onManagement.GetProperty("status").GetProperty("lastAckedVersion").GetString());
        Assert.True(receipt!.Status!.Verified);
        Assert.Equal(NextVersion, receipt.Spec.Version);
        Assert.NotNull(before.StreamId);
        Assert.Equal(before.StreamId, after.StreamId); // the same stream: no reconnect carried it
        Assert.Single(_logs.Entries, e => e.EventId.Name == "LogOffering"); // the connect-time offer, of the first version only
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogPushingSigned" && e.Message.Contains(NextVersion, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotateKey_AcknowledgedSnapshotResignedSameVersion_PushedOnOpenStreamInstalledAndAcknowledged()
    {
        var (management, tenant, snapshot) = await OnboardedBeforeRotationAsync("rot");
        var before = await management.SessionAsync(tenant.ClusterId);

        // Same spec, same version, new key: only the signature changes, and the tenant must get it before the old key is retired.
        var newSignature = await RotateAsync(management, snapshot);
        var condition = await AcknowledgedAsync(tenant.ClusterId, snapshot, newSignature, "rotated-key signature acknowledged");
        var onManagement = await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, snapshot);
        var receipt = await ReadReceiptAsync(tenant, snapshot);
        var after = await management.SessionAsync(tenant.ClusterId);

        Assert.Equal(newSignature, await SignatureOfCopyAsync(tenant, snapshot));
        Assert.Equal(Version, onManagement.GetProperty("status").GetProperty("lastAckedVersion").GetString());
        Assert.Equal(Version, receipt!.Status!.AcknowledgedVersion);
        Assert.True(receipt.Status.Verified);
        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition.Reason);
        Assert.NotNull(before.StreamId);
        Assert.Equal(before.StreamId, after.StreamId); // the same stream: the signer's push carried it, no reconnect
        Assert.Single(_logs.Entries, e => e.EventId.Name == "LogOffering");
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogPushingSigned" && e.Message.Contains(snapshot, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_SnapshotResignedWhileAway_PushedAgainButUnchangedSignatureNotPushed()
    {
        var (management, tenant, snapshot) = await OnboardedBeforeRotationAsync("rsg");

        // Nothing changed while away: the recorded acknowledgement covers version and signature, so nothing is offered.
        await ReconnectAsync(management, tenant, whileAway: () => Task.CompletedTask);
        Assert.Single(_logs.Entries, e => e.EventId.Name == "LogOffering");

        // Re-signed with a new key while away: no stream to push it on, so the next connect must offer it.
        var newSignature = "";
        await ReconnectAsync(management, tenant, whileAway: async () => newSignature = await RotateAsync(management, snapshot));
        var condition = await AcknowledgedAsync(tenant.ClusterId, snapshot, newSignature, "rotated-key signature acknowledged after reconnect");

        Assert.Equal(newSignature, await SignatureOfCopyAsync(tenant, snapshot));
        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition.Reason);
        Assert.Equal(2, _logs.Entries.Count(e => e.EventId.Name == "LogOffering"));
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogSignatureNotAcknowledged" && e.Message.Contains(snapshot, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "LogPushingSigned"); // no stream was open when it was re-signed
    }

    private const string Version = "2026-11-27T10:00:00Z";
    private const string NextVersion = "2026-11-27T11:00:00Z";

    private async Task<(ManagementAgent Management, OnboardingTenant Tenant)> PrepareAsync(
        string prefix, Ed25519PrivateKey trusted, Ed25519PrivateKey? signer = null, Ed25519PrivateKey? alsoTrusted = null)
    {
        var management = new ManagementAgent(fixture, _logs, signer);
        _running.Add(management);
        var clusterId = Topology.NewClusterId(prefix);
        var @namespace = await fixture.CreateTenantNamespaceAsync();
        await FederationFixture.CreateRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, clusterId);
        await FederationFixture.CreateRunnerConfigAsync(fixture.Tenant, @namespace, clusterId);
        var tenant = new OnboardingTenant(fixture, management, clusterId, @namespace, _logs, alsoTrusted is null ? [trusted] : [trusted, alsoTrusted]);
        _running.Insert(0, tenant); // stopped before management
        return (management, tenant);
    }

    private async Task<string> CreateSignedSnapshotAsync(string clusterId, Ed25519PrivateKey key)
    {
        var name = $"snap-{Guid.NewGuid().ToString("N")[..8]}";
        var snapshot = new JsonObject
        {
            ["apiVersion"] = GuardianApi.ApiVersion,
            ["kind"] = PermissionSnapshot.KindName,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = fixture.ManagementNamespace },
            ["spec"] = new JsonObject
            {
                ["targetCluster"] = clusterId,
                ["version"] = Version,
                ["freshnessWindowSeconds"] = 300,
                ["principalPermissions"] = new JsonArray(new JsonObject
                {
                    ["principalRef"] = "system:serviceaccount:team-a:deployer",
                    ["allowedOperations"] = new JsonArray(new JsonObject
                    {
                        ["apiGroup"] = "apps", ["resource"] = "deployments", ["verbs"] = new JsonArray("get", "list"),
                    }),
                }),
            },
        };
        await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(snapshot, GuardianApi.Group, GuardianApi.Version,
            fixture.ManagementNamespace, PermissionSnapshot.Plural, cancellationToken: Ct);
        await SignAsync(name, key);
        return name;
    }

    /// <summary>Signs the stored spec as the management signing grain does (same digest, same annotations).</summary>
    private async Task SignAsync(string name, Ed25519PrivateKey key)
    {
        var stored = await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, name);
        var desired = DesiredSignature.For(SpecDigest.Of(stored.GetProperty("spec").GetRawText()), key);
        await PatchSnapshotAsync(name, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [SignatureAnnotations.Signature] = desired.Signature, [SignatureAnnotations.SpecHash] = desired.SpecHash },
            },
        });
    }

    private Task PatchSnapshotAsync(string name, JsonObject patch) =>
        fixture.Management.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, name, cancellationToken: Ct);

    private Task CreateTalosClusterAsync(string clusterId) => FederationFixture.CreateTalosClusterAsync(fixture.Management, fixture.ManagementNamespace, clusterId);

    private Task<V1Condition?> ReadConditionAsync(string clusterId) => FederationFixture.ReadAcknowledgementAsync(fixture.Management, fixture.ManagementNamespace, clusterId);

    private async Task<PermissionSnapshotReceipt?> ReadReceiptAsync(OnboardingTenant tenant, string name)
    {
        var list = await fixture.Tenant.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, tenant.Namespace, PermissionSnapshotReceipt.Plural, fieldSelector: $"metadata.name={name}", cancellationToken: Ct);
        var item = list.GetProperty("items").EnumerateArray().FirstOrDefault();
        return item.ValueKind == JsonValueKind.Undefined ? null : KubernetesJson.Deserialize<PermissionSnapshotReceipt>(item.GetRawText());
    }

    /// <summary>
    /// A tenant trusting both the management key and the one it rotates to, onboarded with a snapshot the running signer
    /// signed with the first; returns once management recorded the tenant's acknowledgement of that signature.
    /// </summary>
    private async Task<(ManagementAgent Management, OnboardingTenant Tenant, string Snapshot)> OnboardedBeforeRotationAsync(string prefix)
    {
        var (management, tenant) = await PrepareAsync(prefix, ManagementKey, signer: ManagementKey, alsoTrusted: RotatedKey);
        var snapshot = await CreateSignedSnapshotAsync(tenant.ClusterId, ManagementKey);
        await CreateTalosClusterAsync(tenant.ClusterId);
        await management.StartAsync();
        await tenant.StartAsync();
        await AcknowledgedAsync(tenant.ClusterId, snapshot, await SignatureOnManagementAsync(snapshot), "old-key signature acknowledged");
        return (management, tenant, snapshot);
    }

    /// <summary>Rotates management's signing key to <see cref="RotatedKey"/> and returns the snapshot's new signature once the signer wrote it.</summary>
    private Task<string> RotateAsync(ManagementAgent management, string snapshot)
    {
        management.RotateSigningKey(RotatedKey);
        return Eventually.MatchAsync(() => SignatureOnManagementAsync(snapshot),
            s => s.StartsWith(RotatedKey.KeyId + ":", StringComparison.Ordinal), "re-signed with the rotated key");
    }

    /// <summary>
    /// Waits until management records the acknowledgement of <paramref name="signature"/> (status digest, then the
    /// TalosCluster condition naming it) and returns the condition.
    /// </summary>
    private async Task<V1Condition> AcknowledgedAsync(string clusterId, string snapshot, string signature, string what)
    {
        var digest = SignatureDigest.Of(signature);
        await Eventually.MatchAsync(() => ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, snapshot),
            s => s.TryGetProperty("status", out var status) && status.TryGetProperty("lastAckedSignatureDigest", out var acked) && acked.GetString() == digest,
            what);
        return (await Eventually.MatchAsync(() => ReadConditionAsync(clusterId),
            c => c?.Status == "True" && c.Message?.Contains($"signature digest {digest[..12]}", StringComparison.Ordinal) == true, what + " (condition)"))!;
    }

    /// <summary>Stops the tenant, waits for management to see it gone, runs <paramref name="whileAway"/>, and reconnects.</summary>
    private static async Task ReconnectAsync(ManagementAgent management, OnboardingTenant tenant, Func<Task> whileAway)
    {
        var before = await management.SessionAsync(tenant.ClusterId);
        await tenant.StopAsync();
        await Eventually.MatchAsync(() => management.SessionAsync(tenant.ClusterId), s => !s.Connected, "management sees the tenant gone");
        await whileAway();
        await tenant.StartAsync();
        // The session grain runs one call at a time: a status naming the new stream is read after its connect-time offers.
        await Eventually.MatchAsync(() => management.SessionAsync(tenant.ClusterId),
            s => s.Connected && s.StreamId != before.StreamId, "tenant reconnected");
    }

    private async Task<string> SignatureOnManagementAsync(string name) =>
        SignatureOf(await ReadSnapshotAsync(fixture.Management, fixture.ManagementNamespace, name));

    private async Task<string> SignatureOfCopyAsync(OnboardingTenant tenant, string name) =>
        SignatureOf(await ReadSnapshotAsync(fixture.Tenant, tenant.Namespace, name));

    private static string SignatureOf(JsonElement snapshot) =>
        snapshot.GetProperty("metadata").GetProperty("annotations").GetProperty(SignatureAnnotations.Signature).GetString()!;

    private static Task<JsonElement> ReadSnapshotAsync(IKubernetes client, string @namespace, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(GuardianApi.Group, GuardianApi.Version, @namespace, PermissionSnapshot.Plural, name, Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running)
        {
            await running.DisposeAsync();
        }
        var unexpected = _logs.Entries
            .Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Contains(e.EventId.Name ?? ""))
            .Select(e => $"{e.Category} {e.EventId.Name}: {e.Message} {e.Exception}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Unexpected error logs:\n" + string.Join('\n', unexpected));
    }
}
