using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Grains.Federation;
using Conductor.Grains.Federation.Storage;
using Conductor.Observability;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Conductor.TestSupport.Observability;

namespace Conductor.Grains.Tests.Federation;

[Collection(ClusterCollection.Name)]
public sealed class AuditSinkGrainTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Copy_AuditBatchPassedToTheSink_IsTheSameInstanceNotADeepCopy()
    {
        // Orleans copies the arguments of an in-silo call unless the type is immutable; the gateway hands the sink
        // batches of thousands of events, so a copy would double the work per event.
        var copier = fixture.SiloServices.GetRequiredService<Orleans.Serialization.DeepCopier>();
        var batch = Batch(1, 2, 3);

        Assert.Same(batch, copier.Copy(batch));
        Assert.Same(batch.Events[0], copier.Copy(batch.Events[0]));
    }

    [Fact]
    public async Task StoreAsync_Replay_StoresNothingTwice()
    {
        var clusterId = NewCluster();
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);

        var first = await sink.StoreAsync(Batch(1, 2, 3));
        var replay = await sink.StoreAsync(Batch(1, 2, 3));
        var overlap = await sink.StoreAsync(Batch(2, 3, 4, 5));

        var stored = await Store(clusterId).ReadAllAsync(Ct);
        Assert.Equal(3UL, first);
        Assert.Equal(3UL, replay);
        Assert.Equal(5UL, overlap);
        Assert.Equal([1UL, 2, 3, 4, 5], stored.Select(e => e.Sequence));
    }

    [Fact]
    public async Task StoreAsync_Gap_AcksOnlyTheContiguousRun()
    {
        var clusterId = NewCluster();
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);

        var acked = await sink.StoreAsync(Batch(1, 2, 5, 6));
        var filled = await sink.StoreAsync(Batch(3, 4, 5, 6));

        Assert.Equal(2UL, acked);
        Assert.Equal(6UL, filled);
        Assert.Equal([1UL, 2, 3, 4, 5, 6], (await Store(clusterId).ReadAllAsync(Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task StoreAsync_ChunkWrittenButMarkNotMoved_AdoptsTheChunkOnReplay()
    {
        var clusterId = NewCluster();
        var store = Store(clusterId);
        // A crash between the chunk write and the mark update: the chunk of 1..4 exists, the mark is still 0.
        var (events, payload) = AuditChunking.FirstChunk(Batch(1, 2, 3, 4).Events);
        await store.CreateChunkAsync(events, payload, Ct);

        var acked = await fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId).StoreAsync(Batch(1, 2, 3, 4, 5, 6));

        Assert.Equal(6UL, acked);
        Assert.Equal([1UL, 2, 3, 4, 5, 6], (await store.ReadAllAsync(Ct)).Select(e => e.Sequence));
        Assert.Equal(6UL, (await store.ReadHighWaterMarkAsync(Ct)).Value);
    }

    [Fact]
    public async Task StoreAsync_LargeBatch_SplitIntoBoundedChunks()
    {
        var clusterId = NewCluster();
        var count = AuditChunkStore.MaxChunkEvents + 250;

        var acked = await fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId)
            .StoreAsync(Batch([.. Enumerable.Range(1, count).Select(i => (ulong)i)]));

        var chunks = await fixture.Kube.CoreV1.ListNamespacedConfigMapAsync(fixture.Namespace,
            labelSelector: $"{AuditChunkStore.AuditLabel}=true,{AuditChunkStore.ClusterIdLabel}={clusterId}", cancellationToken: Ct);
        Assert.Equal((ulong)count, acked);
        Assert.Equal(2, chunks.Items.Count);
        Assert.All(chunks.Items, c => Assert.True(c.BinaryData[AuditChunkStore.EventsKey].Length <= AuditChunkStore.MaxChunkBytes));
    }

    [Fact]
    public async Task StoreAsync_AfterChunksOfTheJsonVersion_ContinuesTheRunAndReadsBothEncodings()
    {
        var clusterId = NewCluster();
        var store = Store(clusterId);
        // What the previous version stored for 1..3: the same ConfigMap with a gzip JSON array under the old key.
        var old = Batch(1, 2, 3).Events;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, old, AuditChunkStore.Json);
        }

        var written = await store.CreateChunkAsync(old, [], Ct);
        var chunk = await fixture.Kube.CoreV1.ReadNamespacedConfigMapAsync(store.ChunkName(1), fixture.Namespace, cancellationToken: Ct);
        chunk.BinaryData = new Dictionary<string, byte[]> { [AuditChunkStore.JsonEventsKey] = buffer.ToArray() };
        await fixture.Kube.CoreV1.ReplaceNamespacedConfigMapAsync(chunk, chunk.Metadata.Name, fixture.Namespace, cancellationToken: Ct);

        var acked = await fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId).StoreAsync(Batch(1, 2, 3, 4, 5));

        var stored = await store.ReadAllAsync(Ct);
        var newChunk = await fixture.Kube.CoreV1.ReadNamespacedConfigMapAsync(store.ChunkName(4), fixture.Namespace, cancellationToken: Ct);
        Assert.Equal(3UL, written);
        Assert.Equal(5UL, acked);
        Assert.Equal([AuditChunkStore.EventsKey], newChunk.BinaryData.Keys);
        Assert.Equal(Batch(1, 2, 3, 4, 5).Events, stored);
    }

    [Fact]
    public async Task StoreAsync_FewChunks_CheckpointLagsButRecoveryFollowsTheChunks()
    {
        var clusterId = NewCluster();
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);

        await sink.StoreAsync(Batch(1, 2, 3));
        await sink.StoreAsync(Batch(4, 5));
        var acked = await sink.StoreAsync(Batch(6));

        var (checkpoint, _) = await Store(clusterId).ReadHighWaterMarkAsync(Ct);
        var (recovered, _) = await Store(clusterId).RecoverHighWaterMarkAsync(Ct);
        Assert.Equal(6UL, acked);
        Assert.True(checkpoint < acked, $"three chunks wrote the checkpoint ({checkpoint}); it is written every {AuditSinkGrain.CheckpointEveryChunks} chunks");
        Assert.Equal(6UL, recovered);
    }

    [Fact]
    public async Task Activate_ChunksPastTheCheckpoint_ResumesAfterTheLastChunk()
    {
        var clusterId = NewCluster();
        var store = Store(clusterId);
        // A previous activation stored 1..3 and 4..7, checkpointed 3, then its silo died.
        await store.WriteHighWaterMarkAsync(3, null, Ct);
        foreach (var batch in new[] { Batch(1, 2, 3), Batch(4, 5, 6, 7) })
        {
            var (events, payload) = AuditChunking.FirstChunk(batch.Events);
            await store.CreateChunkAsync(events, payload, Ct);
        }

        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);
        var mark = await sink.GetHighWaterMarkAsync();
        var acked = await sink.StoreAsync(Batch(6, 7, 8));

        Assert.Equal(7UL, mark);
        Assert.Equal(8UL, acked);
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8], (await store.ReadAllAsync(Ct)).Select(e => e.Sequence));
        Assert.Equal(7UL, (await store.ReadHighWaterMarkAsync(Ct)).Value); // the greeting-only activation caught the lagging checkpoint up as it deactivated
    }

    [Fact]
    public async Task GetHighWaterMarkAsync_NoStoreFollows_SinkDeactivatesAndItsDeactivationCatchesUpTheCheckpoint()
    {
        // An idle tenant's stream asks only for the greeting: the sink must not stay activated for the whole stream.
        // Its deactivation is observable by what it writes: the lagging checkpoint moved to the mark it followed.
        var clusterId = NewCluster();
        var store = Store(clusterId);
        await store.WriteHighWaterMarkAsync(2, null, Ct);
        foreach (var batch in new[] { Batch(1, 2), Batch(3, 4) })
        {
            var (events, payload) = AuditChunking.FirstChunk(batch.Events);
            await store.CreateChunkAsync(events, payload, Ct);
        }

        var mark = await fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId).GetHighWaterMarkAsync();

        Assert.Equal(4UL, mark);
        var checkpoint = 0UL;
        for (var attempt = 0; attempt < 100 && checkpoint != 4; attempt++)
        {
            await Task.Delay(100, Ct); // polling with a cap: deactivation runs after the call returns
            checkpoint = (await store.ReadHighWaterMarkAsync(Ct)).Value;
        }

        Assert.Equal(4UL, checkpoint);
    }

    [Fact]
    public async Task StoreAsync_RightAfterAGreetingOnlyActivation_ContinuesFromTheStore()
    {
        // The tenant's replay follows the greeting at once, racing the deactivation the greeting asked for.
        var clusterId = NewCluster();
        var (events, payload) = AuditChunking.FirstChunk(Batch(1, 2, 3).Events);
        await Store(clusterId).CreateChunkAsync(events, payload, Ct);
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);

        var greeting = await sink.GetHighWaterMarkAsync();
        var acked = await sink.StoreAsync(Batch(3, 4, 5));

        Assert.Equal(3UL, greeting);
        Assert.Equal(5UL, acked);
        Assert.Equal([1UL, 2, 3, 4, 5], (await Store(clusterId).ReadAllAsync(Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task StoreAsync_ReplayAndNewEvents_MeterCountsReceivedAndAcked()
    {
        var clusterId = NewCluster();
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);
        using var meter = new ConductorMeterReader(fixture.SiloServices.GetRequiredService<IMeterFactory>());
        // The instruments exist once the silo made its ConductorMetrics (on the first grain that takes it): run
        // alone, this test would otherwise read before any grain did.
        fixture.SiloServices.GetRequiredService<ConductorMetrics>();
        var (received, acked) = (meter.Read("conductor.audit.events.received"), meter.Read("conductor.audit.events.acked"));

        await sink.StoreAsync(Batch(1, 2, 3));
        await sink.StoreAsync(Batch(2, 3, 4));

        Assert.Equal(received + 6, meter.Read("conductor.audit.events.received"));
        Assert.Equal(acked + 4, meter.Read("conductor.audit.events.acked"));
    }

    private static string NewCluster() => $"sink-{Guid.NewGuid():N}"[..20];

    private AuditChunkStore Store(string clusterId) => new(fixture.Kube, fixture.Namespace, clusterId);

    private static AuditBatch Batch(params ulong[] sequences) => new([.. sequences.Select(TenantSessionGrainTests.Record)]);
}
