using System.Diagnostics;
using Conductor.Silo.Leadership;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.TestHosting;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Leadership;

/// <summary>Two replicas competing for one Lease on the real kube-apiserver.</summary>
[Collection(KubeCollection.Name)]
public sealed class LeaseElectionTests(KubeFixture kube) : IAsyncLifetime
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private readonly string _ns = $"conductor-test-{Guid.NewGuid():N}";
    private readonly List<ServiceProvider> _replicas = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = _ns, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        }, cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.GetRequiredService<LeaseElection>().StopAsync(CancellationToken.None);
            await replica.DisposeAsync();
        }
        await kube.Client.CoreV1.DeleteNamespaceAsync(_ns);
    }

    [Fact]
    public async Task Partition_LeaderLosesLease_OtherReplicaLeadsWithinOneLeaseDurationAndOldLeaderWritesNothing()
    {
        var partition = new PartitionHandler();
        var (a, aLogs) = await StartReplicaAsync("replica-a", partition);
        var aTerm = await a.GetRequiredService<ILeadership>().WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        var (b, _) = await StartReplicaAsync("replica-b", handler: null);
        var guarded = await kube.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "guarded" }, Data = new Dictionary<string, string> { ["writer"] = "none" } },
            _ns, cancellationToken: Ct);
        var aWriter = a.GetRequiredService<LeaderOnlyWriter>();
        var aClient = a.GetRequiredService<IKubernetes>();

        // While leading, A's writes go through.
        await aWriter.WriteAsync("mark guarded as written by A", token => Mark(aClient, "replica-a", token), Ct);
        var afterLeaderWrite = await kube.Client.CoreV1.ReadNamespacedConfigMapAsync("guarded", _ns, cancellationToken: Ct);

        var lostAt = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var onLoss = aTerm.Register(() => lostAt.TrySetResult(clock.Elapsed));
        partition.Partition();
        var lossTime = await lostAt.Task.WaitAsync(Cap, Ct);
        await b.GetRequiredService<ILeadership>().WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        var failover = clock.Elapsed - lossTime;

        // The old leader tries to write after the loss: the guard refuses and nothing reaches the API server.
        var refused = await Assert.ThrowsAsync<NotLeaderException>(() =>
            aWriter.WriteAsync("mark guarded as written by A after the loss", token => Mark(aClient, "replica-a-late", token), Ct));
        var afterRefusal = await kube.Client.CoreV1.ReadNamespacedConfigMapAsync("guarded", _ns, cancellationToken: Ct);
        var lease = await kube.Client.CoordinationV1.ReadNamespacedLeaseAsync("conductor-ccs-lease", _ns, cancellationToken: Ct);

        Assert.NotEqual(guarded.Metadata.ResourceVersion, afterLeaderWrite.Metadata.ResourceVersion);
        Assert.True(failover <= LeaseDuration, $"failover took {failover.TotalMilliseconds} ms after the loss; the lease lasts {LeaseDuration.TotalMilliseconds} ms");
        Assert.False(a.GetRequiredService<ILeadership>().IsLeader);
        Assert.Equal("replica-b", lease.Spec.HolderIdentity);
        Assert.Contains("does not hold the leader Lease", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, aWriter.RefusedCount);
        Assert.Equal(afterLeaderWrite.Metadata.ResourceVersion, afterRefusal.Metadata.ResourceVersion);
        Assert.Equal("replica-a", afterRefusal.Data["writer"]);
        await aLogs.WaitForAsync(e => e.EventId.Name == "LogStoppedLeading");
    }

    [Fact]
    public async Task WriteAsync_NeverLed_RefusedWithoutCallingTheWrite()
    {
        var (a, _) = await StartReplicaAsync("replica-solo", handler: null);
        await a.GetRequiredService<ILeadership>().WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        var (standby, _) = await StartReplicaAsync("replica-standby", handler: null);
        var called = false;

        await Assert.ThrowsAsync<NotLeaderException>(() => standby.GetRequiredService<LeaderOnlyWriter>().WriteAsync("write as standby", _ =>
        {
            called = true;
            return Task.CompletedTask;
        }, Ct));

        Assert.False(called);
        Assert.False(standby.GetRequiredService<ILeadership>().IsLeader);
    }

    [Fact]
    public async Task LeaseNamespaceMissing_ElectorRetries_ErrorNamesTheLeaseAndTheApiServersReasonAndRepeatsOnlyAtPowersOfTwo()
    {
        var missing = $"conductor-missing-{Guid.NewGuid():N}";
        var (replica, logs) = await StartReplicaAsync("replica-lost", handler: null, missing);

        var first = await logs.WaitForAsync(e => e.EventId.Name == "LogLeaseUnavailable", Cap);
        await logs.WaitForAsync(e => e.EventId.Name == "LogLeaseUnavailable" && e.Message.Contains("(4 failures", StringComparison.Ordinal), Cap);

        Assert.Equal(LogLevel.Error, first.Level);
        Assert.Contains($"Lease {missing}/conductor-ccs-lease could not be read or written by replica-lost (1 failures", first.Message, StringComparison.Ordinal);
        Assert.True(first.Message.Contains($"namespaces \\\"{missing}\\\" not found", StringComparison.Ordinal), first.Message);
        // Failures 1, 2 and 4 were said; 3 was not.
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Name == "LogLeaseUnavailable" && e.Message.Contains("(3 failures", StringComparison.Ordinal));
        Assert.False(replica.GetRequiredService<ILeadership>().IsLeader);
    }

    [Fact]
    public async Task StoppedWhileRenewing_TheCancelledCallIsNotReportedAsAFault()
    {
        var partition = new PartitionHandler();
        var (replica, logs) = await StartReplicaAsync("replica-stopping", partition);
        await replica.GetRequiredService<ILeadership>().WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        partition.Partition();
        await partition.Stalled.WaitAsync(Cap, Ct);

        await replica.GetRequiredService<LeaseElection>().StopAsync(Ct);

        // The renewal in flight was cancelled by the stop, not failed by the API server: no error is said.
        Assert.Contains(logs.Entries, e => e.EventId.Name == "LogStoppedLeading");
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private async Task<(ServiceProvider Replica, RecordingLoggerProvider Logs)> StartReplicaAsync(string identity, DelegatingHandler? handler, string? leaseNamespace = null)
    {
        var path = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        IKubernetes client = handler is null ? new k8s.Kubernetes(config) : new k8s.Kubernetes(config, handler);
        var logs = new RecordingLoggerProvider();
        var replica = AgentServices.Build(client, logs, AgentServices.FastLease(leaseNamespace ?? _ns, "ccs-lease", identity), services => services.AddLeadership());
        _replicas.Add(replica);
        await replica.GetRequiredService<LeaseElection>().StartAsync(Ct);
        return (replica, logs);
    }

    private Task<V1ConfigMap> Mark(IKubernetes client, string writer, CancellationToken token) =>
        client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch($$$"""{"data":{"writer":"{{{writer}}}"}}""", V1Patch.PatchType.MergePatch), "guarded", _ns, cancellationToken: token);
}
