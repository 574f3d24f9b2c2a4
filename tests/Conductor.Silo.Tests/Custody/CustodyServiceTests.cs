using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Conductor.Custody;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Runner;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Leadership;
using Conductor.Silo.Tests.Signing;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using k8s.Models;
using k8s;

namespace Conductor.Silo.Tests.Custody;

/// <summary>
/// The chain of custody across two real kube-apiservers: management signs (real silos), the tenant's custody service
/// pulls through the management API, verifies, and writes receipts on the tenant server.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class CustodyServiceTests(ManagementTenantNamespace management, TenantReceiptNamespace tenant, KubeFixture kube)
    : IClassFixture<ManagementTenantNamespace>, IClassFixture<TenantReceiptNamespace>
{
    private static readonly Ed25519PrivateKey KeyA = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey KeyB = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey Untrusted = Ed25519PrivateKey.Generate();

    [Fact]
    public async Task Start_SignedPackAndSnapshot_VerifiedAcknowledgedReceipts()
    {
        await using var silos = await SigningSilos.StartAsync(management.Client, management.Name, KeyA);
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        var pack = await CreatePackAsync();
        var snapshot = await CreateSnapshotAsync();

        var packReceipt = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);
        var snapshotReceipt = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);

        Assert.True(packReceipt.Status!.Verified);
        Assert.False(packReceipt.Status.DegradedSecurityState);
        Assert.Null(packReceipt.Status.DegradedReason);
        Assert.Equal(pack.Delivery, packReceipt.Spec.ClusterPackRef);
        Assert.Equal(management.Cluster, packReceipt.Spec.TargetClusterRef);
        Assert.Equal(SignedArtifactSecret.Name(management.Cluster, pack.Installed), packReceipt.Spec.SignatureRef);
        Assert.Equal("sha256:" + new string('b', 64), packReceipt.Spec.RbacDigest);
        Assert.Equal("15.0.0", packReceipt.Spec.ChartVersion);
        Assert.Contains(packReceipt.Status.Conditions!, c => c.Type == ConditionTypes.DegradedSecurityState && c.Status == "False");
        Assert.True(snapshotReceipt.Status!.Verified);
        Assert.Equal("2024-05-06T07:08:09Z", snapshotReceipt.Status.AcknowledgedVersion);
        Assert.NotNull(snapshotReceipt.Status.AcknowledgedAt);
        Assert.Equal("2024-05-06T07:08:09Z", snapshotReceipt.Spec.Version);
        // The verified snapshot itself is installed beside its receipt, signed as management signed it.
        var copy = await tenant.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            Conductor.Resources.GuardianApi.Group, Conductor.Resources.GuardianApi.Version, tenant.Name, PermissionSnapshot.Plural, snapshot,
            TestContext.Current.CancellationToken);
        var original = await SignedObjects.ReadAsync(management.Client, SignedKind.PermissionSnapshot, management.Name, snapshot);
        Assert.Equal(SignedObjects.Annotation(original, SignatureAnnotations.Signature), SignedObjects.Annotation(copy, SignatureAnnotations.Signature));
        Assert.Equal(JsonCanonicalizer.Canonicalize(original.GetProperty("spec")), JsonCanonicalizer.Canonicalize(copy.GetProperty("spec")));
    }

    [Fact]
    public async Task Verify_SnapshotTamperedThenRestored_RunnerConfigDegradedSecurityStateSetThenCleared()
    {
        // A namespace of its own: the security state covers everything management published for the cluster, and the
        // class namespace holds what other tests tampered with.
        var isolated = new ManagementTenantNamespace(kube);
        await isolated.InitializeAsync();
        try
        {
            var snapshot = NewName();
            await using (var silos = await SigningSilos.StartAsync(isolated.Client, isolated.Name, KeyA))
            {
                await SignedObjects.CreateAsync(isolated.Client, SignedKind.PermissionSnapshot, isolated.Name, snapshot, isolated.Cluster);
                await SignedObjects.WaitSignedAsync(isolated.Client, SignedKind.PermissionSnapshot, isolated.Name, snapshot, "0",
                    new SpecVerifier(new TrustedKeySet([KeyA.PublicKey])), KeyA.KeyId);
                await silos.StopAsync();
            }
            var runnerConfig = $"rc{Guid.NewGuid():N}"[..12];
            await tenant.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new Conductor.Resources.Seam.RunnerConfig
            {
                Metadata = new V1ObjectMeta { Name = runnerConfig, NamespaceProperty = tenant.Name },
                Spec = new Conductor.Resources.Seam.RunnerConfigSpec { ClusterRef = runnerConfig, AgentImage = "registry.example/conductor-execute:v1.9.3" },
            }, Conductor.Resources.SeamApi.Group, Conductor.Resources.SeamApi.Version, tenant.Name, Conductor.Resources.Seam.RunnerConfig.Plural,
                cancellationToken: TestContext.Current.CancellationToken);
            var writer = new Grains.Federation.Storage.RunnerConfigConditionWriter(tenant.Client, TimeProvider.System,
                NullLogger<Grains.Federation.Storage.RunnerConfigConditionWriter>.Instance);
            await using var tenantSide = await TenantSide.StartAsync(isolated, tenant, new SecurityStateReporter(writer, tenant.Name, runnerConfig), KeyA);
            await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);

            await SignedObjects.PatchAsync(isolated.Client, SignedKind.PermissionSnapshot, isolated.Name, snapshot,
                new JsonObject { ["spec"] = new JsonObject { ["freshnessWindowSeconds"] = 5 } });
            var degraded = await WaitRunnerConfigAsync(runnerConfig, ConditionTypes.DegradedSecurityState, "True");
            await SignedObjects.PatchAsync(isolated.Client, SignedKind.PermissionSnapshot, isolated.Name, snapshot,
                new JsonObject { ["spec"] = new JsonObject { ["freshnessWindowSeconds"] = 300 } });
            var cleared = await WaitRunnerConfigAsync(runnerConfig, ConditionTypes.DegradedSecurityState, "False");

            Assert.Equal(ConditionReasons.SignatureInvalid, degraded.Reason);
            Assert.Contains($"PermissionSnapshot {isolated.Name}/{snapshot}", degraded.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(SpecVerificationStatus.BadSignature), degraded.Message, StringComparison.Ordinal);
            Assert.Equal(SecurityStateReporter.VerifiedReason, cleared.Reason);
        }
        finally
        {
            await isolated.DisposeAsync();
        }
    }

    private async Task<V1Condition> WaitRunnerConfigAsync(string name, string type, string status)
    {
        var (_, runnerConfig) = await ResourceWatch.WaitForAsync<Conductor.Resources.Seam.RunnerConfig>(tenant.Client, tenant.Name, "0",
            (kind, r) => kind != WatchEventType.Deleted && r.Metadata.Name == name
                && r.Status?.Conditions?.Any(c => c.Type == type && c.Status == status) == true,
            cancellationToken: TestContext.Current.CancellationToken);
        return runnerConfig.Status!.Conditions!.Single(c => c.Type == type);
    }

    [Theory]
    [InlineData("version", "\"9.9.9\"")]
    [InlineData("clusterPackRef", "\"other-pack\"")]
    [InlineData("targetClusterRef", "\"other-cluster\"")]
    [InlineData("chartName", "\"evil\"")]
    [InlineData("chartVersion", "\"0.0.1\"")]
    [InlineData("chartURL", "\"oci://evil.example/charts\"")]
    [InlineData("helmVersion", "\"v2.0.0\"")]
    [InlineData("dependsOn", "[\"nothing\"]")]
    public async Task Verify_PackInstalledFieldTampered_ReceiptBlockedNamingResource(string field, string tampered)
    {
        var pack = await SignPackWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);

        await SignedObjects.PatchAsync(management.Client, SignedKind.PackInstalled, management.Name, pack.Installed,
            new JsonObject { ["spec"] = new JsonObject { [field] = JsonNode.Parse(tampered) } });
        var blocked = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(blocked.Status!.Acknowledged, blocked.Status.DegradedReason, blocked.Status.Conditions,
            $"PackInstalled {management.Name}/{pack.Installed}", nameof(SpecVerificationStatus.BadSignature));
        Assert.False(blocked.Status.Verified);
    }

    [Theory]
    [InlineData("version", "\"9.9.9\"")]
    [InlineData("registryRef", "{\"url\":\"evil.example/packs\",\"digest\":\"sha256:0\"}")]
    [InlineData("rbacDigest", "\"sha256:0000\"")]
    [InlineData("workloadDigest", "\"sha256:1111\"")]
    [InlineData("chartName", "\"evil\"")]
    [InlineData("chartVersion", "\"0.0.1\"")]
    [InlineData("targetClusters", "[\"elsewhere\"]")]
    public async Task Verify_PackDeliveryFieldTampered_ReceiptBlockedNamingResource(string field, string tampered)
    {
        var pack = await SignPackWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);

        await SignedObjects.PatchAsync(management.Client, SignedKind.PackDelivery, management.Name, pack.Delivery,
            new JsonObject { ["spec"] = new JsonObject { [field] = JsonNode.Parse(tampered) } });
        var blocked = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(blocked.Status!.Acknowledged, blocked.Status.DegradedReason, blocked.Status.Conditions,
            $"PackDelivery {management.Name}/{pack.Delivery}", nameof(SpecVerificationStatus.BadSignature));
    }

    [Theory]
    [InlineData("version", "\"2099-01-01T00:00:00Z\"")]
    [InlineData("targetCluster", "\"other-cluster\"")]
    [InlineData("freshnessWindowSeconds", "999999")]
    [InlineData("principalPermissions", "[{\"principalRef\":\"mallory\",\"allowedOperations\":[{\"apiGroup\":\"apps\",\"resource\":\"deployments\",\"verbs\":[\"*\"]}]}]")]
    public async Task Verify_PermissionSnapshotFieldTampered_ReceiptBlockedNamingResource(string field, string tampered)
    {
        var snapshot = await SignSnapshotWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);

        await SignedObjects.PatchAsync(management.Client, SignedKind.PermissionSnapshot, management.Name, snapshot,
            new JsonObject { ["spec"] = new JsonObject { [field] = JsonNode.Parse(tampered) } });
        var blocked = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(blocked.Status!.Acknowledged, blocked.Status.DegradedReason, blocked.Status.Conditions,
            $"PermissionSnapshot {management.Name}/{snapshot}", nameof(SpecVerificationStatus.BadSignature));
        Assert.Null(blocked.Status.AcknowledgedVersion);
    }

    [Fact]
    public async Task Verify_ArtifactSecretTampered_ReceiptBlockedNamingSecret()
    {
        var pack = await SignPackWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);
        var secretName = SignedArtifactSecret.Name(management.Cluster, pack.Installed);
        var secret = await management.Client.CoreV1.ReadNamespacedSecretAsync(secretName, management.Name, cancellationToken: TestContext.Current.CancellationToken);

        secret.Data[SignedArtifactSecret.ArtifactKey] = Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(secret.Data[SignedArtifactSecret.ArtifactKey]).Replace("1.2.3", "6.6.6", StringComparison.Ordinal));
        await management.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, secretName, management.Name, cancellationToken: TestContext.Current.CancellationToken);
        var blocked = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(blocked.Status!.Acknowledged, blocked.Status.DegradedReason, blocked.Status.Conditions,
            $"artifact Secret {secretName}", nameof(SpecVerificationStatus.BadSignature));
    }

    [Fact]
    public async Task Verify_TamperedThenRestored_AcknowledgedAgainWithoutStaleReason()
    {
        var snapshot = await SignSnapshotWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);

        await SignedObjects.PatchAsync(management.Client, SignedKind.PermissionSnapshot, management.Name, snapshot,
            new JsonObject { ["spec"] = new JsonObject { ["freshnessWindowSeconds"] = 5 } });
        await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true);
        await SignedObjects.PatchAsync(management.Client, SignedKind.PermissionSnapshot, management.Name, snapshot,
            new JsonObject { ["spec"] = new JsonObject { ["freshnessWindowSeconds"] = 300 } });
        var restored = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);

        Assert.False(restored.Status!.DegradedSecurityState);
        Assert.Null(restored.Status.DegradedReason);
    }

    [Theory]
    [InlineData(SignedKind.PackInstalled)]
    [InlineData(SignedKind.PackDelivery)]
    [InlineData(SignedKind.PermissionSnapshot)]
    public async Task Verify_SignatureAnnotationRemoved_ReceiptBlockedAsMissing(SignedKind kind)
    {
        var pack = await SignPackWithSignerStoppedAsync();
        var snapshot = await SignSnapshotWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);
        await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);
        var name = kind switch { SignedKind.PackInstalled => pack.Installed, SignedKind.PackDelivery => pack.Delivery, _ => snapshot };

        await SignedObjects.PatchAsync(management.Client, kind, management.Name, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SignatureAnnotations.Signature] = null } },
        });

        var (acknowledged, reason, conditions) = kind == SignedKind.PermissionSnapshot
            ? Blocked(await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true))
            : Blocked(await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true));
        AssertBlocked(acknowledged, reason, conditions, $"{kind} {management.Name}/{name}", nameof(SpecVerificationStatus.Missing));
    }

    [Fact]
    public async Task Verify_SignedByUntrustedKey_ReceiptsBlockedAsUnknownKey()
    {
        await using var silos = await SigningSilos.StartAsync(management.Client, management.Name, Untrusted);
        var pack = await CreatePackAsync();
        var snapshot = await CreateSnapshotAsync();
        await WaitSignedAsync(SignedKind.PackInstalled, pack.Installed, Untrusted);
        await WaitSignedAsync(SignedKind.PermissionSnapshot, snapshot, Untrusted);
        await WaitArtifactAsync(pack.Installed);
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);

        var packReceipt = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedReason?.Contains("UnknownKeyId", StringComparison.Ordinal) == true);
        var snapshotReceipt = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(packReceipt.Status!.Acknowledged, packReceipt.Status.DegradedReason, packReceipt.Status.Conditions,
            $"artifact Secret {SignedArtifactSecret.Name(management.Cluster, pack.Installed)}", nameof(SpecVerificationStatus.UnknownKeyId));
        AssertBlocked(snapshotReceipt.Status!.Acknowledged, snapshotReceipt.Status.DegradedReason, snapshotReceipt.Status.Conditions,
            $"PermissionSnapshot {management.Name}/{snapshot}", nameof(SpecVerificationStatus.UnknownKeyId));
        Assert.Contains(Untrusted.KeyId, snapshotReceipt.Status.DegradedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_OldKeyRemovedFromTrust_RefusedAfterAcceptedBeforeAndNewSignatureAccepted()
    {
        await using var silos = await SigningSilos.StartAsync(management.Client, management.Name, KeyA);
        var snapshot = await CreateSnapshotAsync();
        var pack = await CreatePackAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA, KeyB);
        var before = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);

        // The tenant drops key A while management still signs with it: A's signatures are now refused.
        tenantSide.Trust(KeyB);
        var refused = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true);
        // Management rotates to B: everything is re-signed and acknowledged again.
        await silos.RotateAsync(KeyB);
        var after = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);
        var packAfter = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);

        Assert.True(before.Status!.Verified);
        AssertBlocked(refused.Status!.Acknowledged, refused.Status.DegradedReason, refused.Status.Conditions,
            $"PermissionSnapshot {management.Name}/{snapshot}", nameof(SpecVerificationStatus.UnknownKeyId));
        Assert.Contains(KeyA.KeyId, refused.Status.DegradedReason, StringComparison.Ordinal);
        Assert.True(after.Status!.Verified);
        Assert.True(packAfter.Status!.Verified);
    }

    [Fact]
    public async Task Revoke_PackAndSnapshot_ReceiptsUnacknowledgedWithRevocationReason()
    {
        var pack = await SignPackWithSignerStoppedAsync();
        var snapshot = await SignSnapshotWithSignerStoppedAsync();
        await using var tenantSide = await TenantSide.StartAsync(management, tenant, KeyA);
        await WaitPackReceiptAsync(pack.Installed, r => r.Status?.Acknowledged == true);
        await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.Acknowledged == true);
        var now = DateTimeOffset.UtcNow;

        await tenantSide.Revocations.RevokeAsync(new ArtifactRevocation(RevokedArtifactKind.PackInstalled, management.Name, pack.Installed,
            "compromised chart", now, "rev-pack-1"), TestContext.Current.CancellationToken);
        await tenantSide.Revocations.RevokeAsync(new ArtifactRevocation(RevokedArtifactKind.PermissionSnapshot, management.Name, snapshot,
            "superseded grant", now, "rev-snap-1"), TestContext.Current.CancellationToken);
        var packReceipt = await WaitPackReceiptAsync(pack.Installed, r => r.Status?.DegradedSecurityState == true);
        var snapshotReceipt = await WaitSnapshotReceiptAsync(snapshot, r => r.Status?.DegradedSecurityState == true);

        AssertBlocked(packReceipt.Status!.Acknowledged, packReceipt.Status.DegradedReason, packReceipt.Status.Conditions,
            "rev-pack-1", "compromised chart");
        AssertBlocked(snapshotReceipt.Status!.Acknowledged, snapshotReceipt.Status.DegradedReason, snapshotReceipt.Status.Conditions,
            "rev-snap-1", "superseded grant");
    }

    private static void AssertBlocked(bool? acknowledged, string? reason, IReadOnlyList<V1Condition>? conditions, string names, string cause)
    {
        Assert.NotEqual(true, acknowledged);
        Assert.NotNull(reason);
        Assert.Contains(names, reason, StringComparison.Ordinal);
        Assert.Contains(cause, reason, StringComparison.Ordinal);
        var condition = Assert.Single(conditions!, c => c.Type == ConditionTypes.DegradedSecurityState);
        Assert.Equal("True", condition.Status);
        Assert.Equal(ConditionReasons.SignatureInvalid, condition.Reason);
        Assert.Equal(reason, condition.Message);
    }

    private static (bool? Acknowledged, string? Reason, IReadOnlyList<V1Condition>? Conditions) Blocked(PackReceipt receipt) =>
        (receipt.Status?.Acknowledged, receipt.Status?.DegradedReason, receipt.Status?.Conditions);

    private static (bool? Acknowledged, string? Reason, IReadOnlyList<V1Condition>? Conditions) Blocked(PermissionSnapshotReceipt receipt) =>
        (receipt.Status?.Acknowledged, receipt.Status?.DegradedReason, receipt.Status?.Conditions);

    private async Task<(string Installed, string Delivery)> CreatePackAsync()
    {
        var delivery = NewName();
        var installed = NewName();
        var sample = (PackInstalled)SignedObjects.Sample(SignedKind.PackInstalled, management.Name, installed, management.Cluster);
        sample.Spec = sample.Spec with { ClusterPackRef = delivery };
        await SignedObjects.CreateAsync(management.Client, SignedKind.PackDelivery, management.Name, delivery, management.Cluster);
        var api = Grains.Signing.SignedKindApi.Of(SignedKind.PackInstalled);
        await management.Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(sample, api.Group, api.Version, management.Name, api.Plural,
            cancellationToken: TestContext.Current.CancellationToken);
        return (installed, delivery);
    }

    private async Task<string> CreateSnapshotAsync()
    {
        var name = NewName();
        await SignedObjects.CreateAsync(management.Client, SignedKind.PermissionSnapshot, management.Name, name, management.Cluster);
        return name;
    }

    /// <summary>Signs a pack with key A, then stops the signer so later changes stay unsigned (tampering).</summary>
    private async Task<(string Installed, string Delivery)> SignPackWithSignerStoppedAsync()
    {
        await using var silos = await SigningSilos.StartAsync(management.Client, management.Name, KeyA);
        var pack = await CreatePackAsync();
        await WaitSignedAsync(SignedKind.PackInstalled, pack.Installed, KeyA);
        await WaitSignedAsync(SignedKind.PackDelivery, pack.Delivery, KeyA);
        await WaitArtifactAsync(pack.Installed);
        await silos.StopAsync();
        return pack;
    }

    private async Task<string> SignSnapshotWithSignerStoppedAsync()
    {
        await using var silos = await SigningSilos.StartAsync(management.Client, management.Name, KeyA);
        var snapshot = await CreateSnapshotAsync();
        await WaitSignedAsync(SignedKind.PermissionSnapshot, snapshot, KeyA);
        await silos.StopAsync();
        return snapshot;
    }

    private Task WaitSignedAsync(SignedKind kind, string name, Ed25519PrivateKey key) =>
        SignedObjects.WaitSignedAsync(management.Client, kind, management.Name, name, "0", new SpecVerifier(new TrustedKeySet([key.PublicKey])), key.KeyId);

    private async Task WaitArtifactAsync(string installed)
    {
        var secretName = SignedArtifactSecret.Name(management.Cluster, installed);
        using var timeout = new CancellationTokenSource(SignedObjects.Cap);
        await foreach (var (type, _) in management.Client.CoreV1.WatchListNamespacedSecretAsync(management.Name,
            fieldSelector: $"metadata.name={secretName}", resourceVersion: "0", cancellationToken: timeout.Token))
        {
            if (type != WatchEventType.Deleted)
            {
                return;
            }
        }
    }

    private async Task<PackReceipt> WaitPackReceiptAsync(string name, Func<PackReceipt, bool> match) =>
        (await ResourceWatch.WaitForAsync<PackReceipt>(tenant.Client, tenant.Name, "0",
            (type, r) => type != WatchEventType.Deleted && r.Metadata.Name == name && match(r), cancellationToken: TestContext.Current.CancellationToken)).Object;

    private async Task<PermissionSnapshotReceipt> WaitSnapshotReceiptAsync(string name, Func<PermissionSnapshotReceipt, bool> match) =>
        (await ResourceWatch.WaitForAsync<PermissionSnapshotReceipt>(tenant.Client, tenant.Name, "0",
            (type, r) => type != WatchEventType.Deleted && r.Metadata.Name == name && match(r), cancellationToken: TestContext.Current.CancellationToken)).Object;

    private static string NewName() => $"r{Guid.NewGuid():N}"[..12];

    /// <summary>The tenant agent's custody service, trusting the given keys through a key directory it can rotate.</summary>
    private sealed class TenantSide : IAsyncDisposable
    {
        private readonly TemporaryDirectory _keys;
        private readonly TrustedKeysDirectory _trusted;
        private readonly CustodyService _service;

        private TenantSide(TemporaryDirectory keys, TrustedKeysDirectory trusted, CustodyService service, RevocationRegistry revocations)
        {
            _keys = keys;
            _trusted = trusted;
            _service = service;
            Revocations = revocations;
        }

        public RevocationRegistry Revocations { get; }

        public static Task<TenantSide> StartAsync(ManagementTenantNamespace management, TenantReceiptNamespace tenant, params Ed25519PrivateKey[] trusted) =>
            StartAsync(management, tenant, null, trusted);

        public static async Task<TenantSide> StartAsync(
            ManagementTenantNamespace management, TenantReceiptNamespace tenant, SecurityStateReporter? security, params Ed25519PrivateKey[] trusted)
        {
            var keys = new TemporaryDirectory();
            Write(keys, trusted);
            var directory = new TrustedKeysDirectory(keys.Path);
            var revocations = new RevocationRegistry();
            var service = new CustodyService(new CustodyOptions { ClusterRef = management.Cluster, ReceiptNamespace = tenant.Name },
                management.Client, tenant.Client, directory, revocations, new AlwaysLeader(), TimeProvider.System,
                NullLogger<CustodyService>.Instance, security: security);
            await service.StartAsync(CancellationToken.None);
            return new TenantSide(keys, directory, service, revocations);
        }

        /// <summary>Replaces the trusted key files, as a changed mounted ConfigMap would, and reloads.</summary>
        public void Trust(params Ed25519PrivateKey[] keys)
        {
            foreach (var file in Directory.EnumerateFiles(_keys.Path))
            {
                File.Delete(file);
            }
            Write(_keys, keys);
            Assert.True(_trusted.Reload());
        }

        public async ValueTask DisposeAsync()
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
            _keys.Dispose();
        }

        private static void Write(TemporaryDirectory directory, Ed25519PrivateKey[] keys)
        {
            foreach (var key in keys)
            {
                File.WriteAllText(directory.File(key.KeyId.Replace(':', '-') + ".pem"), key.PublicKey.ExportPem());
            }
        }
    }
}
