using System.Collections.Concurrent;
using Conductor.Integration.Tests.Federation;

namespace Conductor.Integration.Tests;

/// <summary>
/// The tenant agent dies (its host is disposed) while audit batches are in flight, then restarts on the same WAL
/// directory: management ends up with every event the WAL reported durable, each exactly once.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class TenantCrashMidBatchTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    private TenantAgent Tenant => _topology.Tenants[0];

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "crash", t => t.BatchMaxEvents = 7));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task TenantDisposedMidBatch_RestartOnSameWal_DeliversEveryDurableEventOnce()
    {
        var durable = new ConcurrentDictionary<ulong, string>();
        using var stop = new CancellationTokenSource();
        var recorder = Task.Run(async () =>
        {
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    durable[await Tenant.RecordAsync(i)] = $"item-{i}";
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or IOException)
                {
                    return; // the host went away under the recorder: only what was reported durable counts
                }
            }
        }, TestContext.Current.CancellationToken);
        var wal = Tenant.Wal;
        await Eventually.TrueAsync(() => wal.AckedSequence >= 30 && wal.LastSequence > wal.AckedSequence + 7,
            "acknowledged batches with more in flight");

        await Tenant.StopAsync();
        await stop.CancelAsync();
        await recorder;
        await Tenant.StartAsync();
        await _topology.WaitLiveAsync(Tenant);
        for (var i = 0; i < 5; i++)
        {
            var index = 100_000 + i;
            durable[await Tenant.RecordAsync(index)] = $"item-{index}";
        }

        var last = Tenant.Wal.LastSequence;
        await Eventually.TrueAsync(() => Tenant.Wal.AckedSequence == last, "everything acknowledged after the restart");
        var stored = await _topology.Store(Tenant).ReadAllAsync(CancellationToken.None);
        DeliveryCheck.ExactlyOnce(stored, last, durable);
        Assert.True(durable.Keys.Max() == last, "the restarted WAL continued the sequence");
    }
}
