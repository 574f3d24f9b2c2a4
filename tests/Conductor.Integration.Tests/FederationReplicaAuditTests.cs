using System.Collections.Concurrent;
using Conductor.Custody;
using Conductor.Federation;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Custody;
using Conductor.Silo.Federation.Gateway;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Integration.Tests;

/// <summary>
/// Two replicas of one tenant agent, each with its own WAL, elected over a real Lease on the tenant apiserver: both
/// ship their audit events to management over their own stream, the leader's being the cluster's control stream. A
/// revocation arrives on the leader's stream only; the follower applies it from the leader's marks.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationReplicaAuditTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);
    private TenantAgent _leader = null!;
    private TenantAgent _follower = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _topology.StartAsync(tenants: 0, prefix: "replicas");
        var clusterId = Topology.NewClusterId("replicas");
        var tenantNamespace = await fixture.CreateTenantNamespaceAsync();
        await FederationFixture.CreateRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, clusterId);
        await FederationFixture.CreateRunnerConfigAsync(fixture.Tenant, tenantNamespace, clusterId);
        foreach (var replica in new[] { "agent-0", "agent-1" })
        {
            var tenant = new TenantAgent(fixture, _topology.Management, clusterId, _topology.Logs, replica)
            {
                Namespace = tenantNamespace,
                BatchMaxEvents = 20,
                ConfigureServices = services => services.AddSingleton<RevocationRegistry>()
                    .AddSingleton<IRevocationSink>(provider => provider.GetRequiredService<RevocationRegistry>()),
            };
            _topology.Tenants.Add(tenant);
        }

        (_leader, _follower) = (_topology.Tenants[0], _topology.Tenants[1]);
        await _leader.StartAsync();
        await Eventually.TrueAsync(() => _leader.Leadership.IsLeader, "the first replica won the Lease");
        await _follower.StartAsync();
        await Task.WhenAll(_topology.Tenants.Select(_topology.WaitLiveAsync));
    }

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task Audit_LeaderAndFollowerRecord_EachReplicaStoredExactlyOnceAndClusterCountedOnce()
    {
        var durable = _topology.Tenants.ToDictionary(t => t.Replica, _ => new ConcurrentDictionary<ulong, string>());
        await Task.WhenAll(_topology.Tenants.Select(async t =>
        {
            for (var i = 1; i <= 120; i++)
            {
                durable[t.Replica][await t.RecordAsync(i)] = $"item-{i}";
            }
        }));

        foreach (var tenant in _topology.Tenants)
        {
            await Eventually.TrueAsync(() => tenant.Wal.AckedSequence == 120, $"replica {tenant.Replica} fully acknowledged");
            DeliveryCheck.ExactlyOnce(await _topology.Store(tenant).ReadAllAsync(Ct), 120, durable[tenant.Replica]);
        }

        var session = await _topology.Management.SessionAsync(_leader.ClusterId);
        Assert.True(session.Connected);
        Assert.False(_follower.Leadership.IsLeader);
        Assert.Equal([_leader.ClusterId], _topology.Management.Services.GetRequiredService<FederationStreamRegistry>().ConnectedClusterIds);
        Assert.Contains(_topology.Logs.Entries, e => e.EventId.Name == "LogStreamOpened"
            && e.Message.Contains("replica 'agent-0', control stream", StringComparison.Ordinal));
        Assert.Contains(_topology.Logs.Entries, e => e.EventId.Name == "LogStreamOpened"
            && e.Message.Contains("replica 'agent-1', audit stream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_FollowerKilledMidDeliveryAndRestartedOnItsWal_LosesAndDuplicatesNothing()
    {
        var durable = new ConcurrentDictionary<ulong, string>();
        using var stop = new CancellationTokenSource();
        var recorder = Task.Run(() => _follower.RecordUntilAsync(durable, stop.Token), Ct);
        for (var i = 1; i <= 50; i++)
        {
            await _leader.RecordAsync(i);
        }

        await Eventually.TrueAsync(() => _follower.Wal.AckedSequence >= 100, "the follower's delivery under way");
        await _follower.StopAsync(); // while it is still recording and streaming
        await stop.CancelAsync();
        // The recorder ends with the host; what it saw reported durable is in `durable`.
        await Record.ExceptionAsync(() => recorder);
        await _follower.StartAsync();
        var resumedAt = _follower.Wal.LastSequence;
        for (var i = 1; i <= 50; i++)
        {
            durable[await _follower.RecordAsync(100_000 + i)] = $"item-{100_000 + i}";
        }

        var last = resumedAt + 50;
        await Eventually.TrueAsync(() => _follower.Wal.AckedSequence == last, "the restarted follower fully acknowledged");
        await Eventually.TrueAsync(() => _leader.Wal.AckedSequence == 50, "the leader fully acknowledged");
        DeliveryCheck.ExactlyOnce(await _topology.Store(_follower).ReadAllAsync(Ct), last, durable);
        Assert.Equal(50, (await _topology.Store(_leader).ReadAllAsync(Ct)).Count);
        Assert.True(_leader.Leadership.IsLeader);
        Assert.True((await _topology.Management.SessionAsync(_leader.ClusterId)).Connected);
    }

    [Fact]
    public async Task Revocation_SnapshotDeletedOnManagement_FollowerStopsHonouringItWithoutRestart()
    {
        var name = "snapshot-" + _leader.ClusterId;
        var snapshot = new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = fixture.ManagementNamespace },
            Spec = new PermissionSnapshotSpec { TargetCluster = _leader.ClusterId, Version = "2026-11-27T10:00:00Z" },
        };
        await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync(
            snapshot, GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, cancellationToken: Ct);
        var followerCustody = _follower.Services.GetRequiredService<RevocationRegistry>();
        Assert.Null(followerCustody.Find(RevokedArtifactKind.PermissionSnapshot, name, signature: null));

        await fixture.Management.CustomObjects.DeleteNamespacedCustomObjectAsync(
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, name, cancellationToken: Ct);

        await Eventually.TrueAsync(() => followerCustody.Find(RevokedArtifactKind.PermissionSnapshot, name, signature: null) is not null,
            "the follower's custody verification stopped trusting the revoked snapshot");
        Assert.True(_follower.Revoked.IsRevoked(RevocationTarget.PermissionSnapshot, fixture.ManagementNamespace, name));
        Assert.True(_leader.Revoked.IsRevoked(RevocationTarget.PermissionSnapshot, fixture.ManagementNamespace, name));
        Assert.False(_follower.Leadership.IsLeader);
        Assert.True(_leader.Leadership.IsLeader);
    }
}
