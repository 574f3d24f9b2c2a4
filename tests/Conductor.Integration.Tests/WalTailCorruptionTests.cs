using Conductor.Integration.Tests.Federation;

namespace Conductor.Integration.Tests;

/// <summary>
/// A torn write left garbage at the end of the tenant's WAL: on restart recovery truncates it, and management
/// still receives every event the WAL reported durable, once, and the sequence goes on from there.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class WalTailCorruptionTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    private TenantAgent Tenant => _topology.Tenants[0];

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "torn"));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task CorruptTail_TenantRestarts_DurableEventsDeliveredOnceAndSequenceContinues()
    {
        await _topology.Management.StopAsync();
        var durable = new Dictionary<ulong, string>();
        for (var i = 1; i <= 20; i++)
        {
            durable[await Tenant.RecordAsync(i)] = $"item-{i}";
        }

        await Tenant.StopAsync();
        var tail = Directory.GetFiles(Tenant.WalPath).Where(f => !Path.GetFileName(f).StartsWith("acked", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal).Last();
        await using (var segment = new FileStream(tail, FileMode.Append))
        {
            // A record header promising more bytes than follow, then noise: what a crash mid-write leaves.
            await segment.WriteAsync(new byte[] { 0x00, 0x00, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0x42 }, TestContext.Current.CancellationToken);
        }

        await Tenant.StartAsync();
        await _topology.Management.StartAsync();
        await _topology.WaitLiveAsync(Tenant);
        durable[await Tenant.RecordAsync(21)] = "item-21";

        await Eventually.TrueAsync(() => Tenant.Wal.AckedSequence == 21, "every event acknowledged");
        var stored = await _topology.Store(Tenant).ReadAllAsync(CancellationToken.None);
        DeliveryCheck.ExactlyOnce(stored, 21, durable);
        await _topology.Logs.WaitForAsync(e => e.EventId.Name == "LogTruncatedTail");
    }
}
