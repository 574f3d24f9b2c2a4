using Conductor.Resources.Seam;
using Conductor.Silo.Drift;
using Conductor.Silo.Leadership;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Signing;
using Microsoft.Extensions.Time.Testing;
using static Conductor.Silo.Tests.Drift.DriftFixtures;

namespace Conductor.Silo.Tests.Drift;

/// <summary>
/// The tenant half of the DriftSignal state machine across the two real apiservers: receipts and deployed objects
/// on the tenant, <c>drift-{receipt}</c> in <c>seam-tenant-{cluster}</c> on management.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class TenantDriftReconcilerTests(ManagementTenantNamespace management, TenantReceiptNamespace tenant)
    : IClassFixture<ManagementTenantNamespace>, IClassFixture<TenantReceiptNamespace>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 500, TimeSpan.Zero));

    private TenantDriftReconciler Reconciler(Conductor.Silo.Leadership.ILeadership? leadership = null) =>
        DriftFixtures.Reconciler(Options(management.Cluster, tenant.Name), tenant.Client, management.Client, _time, leadership);

    [Fact]
    public async Task PassAsync_DeployedConfigMapMissing_PendingSignalOnManagement()
    {
        var name = Unique("nginx");
        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));

        await Reconciler().PassAsync(Ct);

        var signal = await ReadSignalAsync(management.Client, management.Name, DriftNames.PackSignal(name));
        Assert.NotNull(signal);
        Assert.Equal(DriftState.Pending, signal.Spec.State);
        Assert.Equal(0, signal.Spec.EscalationCounter);
        Assert.Equal($"resource v1 ConfigMap/{tenant.Name}/{name} missing from cluster", signal.Spec.DriftReason);
        Assert.Equal("ConfigMap", signal.Spec.AffectedCrRef!.Kind);
        Assert.Equal(name, signal.Spec.AffectedCrRef.Name);
        Assert.Equal("drift-" + ((_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100), signal.Spec.CorrelationId);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), signal.Spec.ObservedAt);
        Assert.Null(signal.Spec.CorrectionJobRef);
    }

    [Fact]
    public async Task PassAsync_AllResourcesPresent_NoSignal()
    {
        var name = Unique("fine");
        await CreateConfigMapAsync(tenant.Client, tenant.Name, name);
        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));

        await Reconciler().PassAsync(Ct);

        Assert.Null(await ReadSignalAsync(management.Client, management.Name, DriftNames.PackSignal(name)));
    }

    [Fact]
    public async Task ReconcileReceipt_PendingStillDrifted_CounterUnchangedBecauseManagementHasNotActed()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec { State = DriftState.Pending, EscalationCounter = 1 });

        var action = await Reconciler().ReconcileReceiptAsync(receipt, Ct);

        Assert.Equal(DriftAction.None, action);
        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(1, stored!.Spec.EscalationCounter);
        Assert.Equal(DriftState.Pending, stored.Spec.State);
    }

    [Fact]
    public async Task ReconcileReceipt_QueuedAfterRedeployStillDrifted_PendingWithCounterPlusOne()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec { State = DriftState.Queued, EscalationCounter = 1, CorrectionJobRef = "pe" });

        var action = await Reconciler().ReconcileReceiptAsync(receipt, Ct);

        Assert.Equal(DriftAction.Escalate, action);
        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(DriftState.Pending, stored!.Spec.State);
        Assert.Equal(2, stored.Spec.EscalationCounter);
        // The next escalation needs a new redeploy recorded by management.
        Assert.Null(stored.Spec.CorrectionJobRef);
    }

    [Fact]
    public async Task ReconcileReceipt_QueuedWithoutRedeployStillDrifted_CounterUnchanged()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec { State = DriftState.Queued, EscalationCounter = 0 });

        Assert.Equal(DriftAction.None, await Reconciler().ReconcileReceiptAsync(receipt, Ct));

        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(DriftState.Queued, stored!.Spec.State);
        Assert.Equal(0, stored.Spec.EscalationCounter);
    }

    [Fact]
    public async Task ReconcileReceipt_QueuedAndResourceRestored_ConfirmedCorrelationCleared()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec
        {
            State = DriftState.Queued, EscalationCounter = 2, CorrectionJobRef = "pe", CorrelationId = "drift-1",
        });
        await CreateConfigMapAsync(tenant.Client, tenant.Name, receipt.Metadata.Name);

        Assert.Equal(DriftAction.Confirm, await Reconciler().ReconcileReceiptAsync(receipt, Ct));

        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(DriftState.Confirmed, stored!.Spec.State);
        Assert.Null(stored.Spec.CorrelationId);
    }

    [Fact]
    public async Task ReconcileReceipt_ConfirmedAndDriftReturns_FreshPendingOccurrence()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec { State = DriftState.Confirmed, EscalationCounter = 2 });

        Assert.Equal(DriftAction.Restart, await Reconciler().ReconcileReceiptAsync(receipt, Ct));

        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(DriftState.Pending, stored!.Spec.State);
        Assert.Equal(0, stored.Spec.EscalationCounter);
        Assert.StartsWith("drift-", stored.Spec.CorrelationId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileReceipt_QueuedAtLimit_NothingWritten()
    {
        var (receipt, signal) = await DriftedAsync(new DriftSignalSpec { State = DriftState.Queued, EscalationCounter = 3, CorrectionJobRef = "pe" });
        var before = await ReadSignalAsync(management.Client, management.Name, signal);

        Assert.Equal(DriftAction.None, await Reconciler().ReconcileReceiptAsync(receipt, Ct));

        var after = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(before!.Metadata.ResourceVersion, after!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task PassAsync_NotLeader_WritesNothing()
    {
        var name = Unique("follow");
        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));

        await Assert.ThrowsAsync<NotLeaderException>(() => Reconciler(new NeverLeader()).PassAsync(Ct));

        Assert.Null(await ReadSignalAsync(management.Client, management.Name, DriftNames.PackSignal(name)));
    }

    /// <summary>A receipt whose ConfigMap is missing, and its signal stored with <paramref name="spec"/>.</summary>
    private async Task<(Conductor.Resources.Dispatcher.PackReceipt Receipt, string Signal)> DriftedAsync(DriftSignalSpec spec)
    {
        var name = Unique("pack");
        var receipt = Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name));
        var signal = DriftNames.PackSignal(name);
        await SetSignalAsync(management.Client, management.Name, signal, spec with
        {
            AffectedCrRef = new AffectedObjectRef { Kind = "ConfigMap", Name = name },
            DriftReason = "arranged",
        });
        return (receipt, signal);
    }
}
