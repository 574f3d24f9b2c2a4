using Conductor.Integration.Tests.Federation;

namespace Conductor.Integration.Tests;

/// <summary>
/// The live sender takes what the WAL just made durable from memory; when its small live tail overflows under a
/// burst it reads the file, then goes back to the tail. Management stores every event once, in order.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class AuditLiveTailTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private const int TailRecords = 8;

    private readonly Topology _topology = new(fixture);

    private TenantAgent Tenant => _topology.Tenants[0];

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "livetail", t =>
    {
        t.BatchMaxEvents = 5;
        t.LiveTailRecords = TailRecords;
    }));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task LiveStream_EventsOneAtATime_SentWithoutReadingTheWalFile()
    {
        await _topology.WaitLiveAsync(Tenant);
        var wal = Tenant.Wal;
        var readsBefore = wal.RecordsReadFromFile;

        var durable = new Dictionary<ulong, string>();
        for (var i = 1; i <= 30; i++)
        {
            var sequence = await Tenant.RecordAsync(i);
            durable[sequence] = $"item-{i}";
            await Eventually.TrueAsync(() => wal.AckedSequence == sequence, $"acknowledgement of {sequence}");
        }

        Assert.Equal(readsBefore, wal.RecordsReadFromFile);
        DeliveryCheck.ExactlyOnce(await _topology.Store(Tenant).ReadAllAsync(CancellationToken.None), wal.LastSequence, durable);
    }

    [Fact]
    public async Task LiveStream_BurstOverflowsTheLiveTail_FallsBackToFileAndBackLosingAndDuplicatingNothing()
    {
        await _topology.WaitLiveAsync(Tenant);
        var wal = Tenant.Wal;
        var durable = new Dictionary<ulong, string>();
        for (var i = 1; i <= 10; i++)
        {
            durable[await Tenant.RecordAsync(i)] = $"item-{i}";
        }

        await Eventually.TrueAsync(() => wal.AckedSequence == 10, "the first ten acknowledged");
        var readsBeforeBurst = wal.RecordsReadFromFile;

        // Concurrent appends land in group commits far larger than the tail: the sender must read the file for them.
        var burst = Enumerable.Range(11, 600).Select(async i => (Sequence: await Tenant.RecordAsync(i), Name: $"item-{i}")).ToList();
        foreach (var (sequence, name) in await Task.WhenAll(burst))
        {
            durable[sequence] = name;
        }

        await Eventually.TrueAsync(() => wal.AckedSequence == wal.LastSequence, "the burst acknowledged");
        var readsAfterBurst = wal.RecordsReadFromFile;
        for (var i = 611; i <= 620; i++)
        {
            var sequence = await Tenant.RecordAsync(i);
            durable[sequence] = $"item-{i}";
            await Eventually.TrueAsync(() => wal.AckedSequence == sequence, $"acknowledgement of {sequence}");
        }

        Assert.True(readsAfterBurst > readsBeforeBurst, "the burst was read back from the file");
        Assert.Equal(readsAfterBurst, wal.RecordsReadFromFile); // live again afterwards
        DeliveryCheck.ExactlyOnce(await _topology.Store(Tenant).ReadAllAsync(CancellationToken.None), 620, durable);
    }
}
