using Conductor.Silo.Membership;
using Conductor.TestSupport.Kubernetes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Conductor.Silo.Tests.Membership;

/// <summary>
/// Orleans' membership-table contract (the cases of Orleans' MembershipTableTestsBase) against the real kube-apiserver.
/// Each test works on a table of its own cluster id in this class's namespace.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class KubernetesMembershipTableTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    private readonly string _clusterId = $"contract-{Guid.NewGuid():N}";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAll_InitializedEmptyTable_VersionZeroWithoutMembers()
    {
        var table = await CreateTableAsync();

        var data = await table.ReadAll();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
    }

    [Fact]
    public async Task InitializeMembershipTable_CalledTwice_KeepsExistingRows()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRow(MembershipEntries.New(), (await table.ReadAll()).Version.Next()));

        await table.InitializeMembershipTable(true);

        var data = await table.ReadAll();
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_NextVersion_WritesRowAndVersionInOneConfigMap()
    {
        var table = await CreateTableAsync();
        var before = await table.ReadAll();
        var entry = MembershipEntries.New();

        Assert.True(await table.InsertRow(entry, before.Version.Next()));

        var after = await table.ReadAll();
        var (stored, etag) = Assert.Single(after.Members);
        Assert.Equal(entry.ToFullString(), stored.ToFullString());
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(1, after.Version.Version);
        Assert.NotEqual(before.Version.VersionEtag, after.Version.VersionEtag);
        var configMap = await ns.Client.CoreV1.ReadNamespacedConfigMapAsync(table.ConfigMapName, ns.Name, cancellationToken: Cancel);
        Assert.Equal(["silo-127.0.0.1-12345-" + entry.SiloAddress.Generation, "version"], configMap.Data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InsertRow_SiloAlreadyInTable_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));

        var current = await table.ReadAll();
        Assert.False(await table.InsertRow(entry, current.Version.Next()));

        Assert.Equal(current.Version, (await table.ReadAll()).Version);
    }

    [Fact]
    public async Task InsertRow_StaleTableVersion_ReturnsFalseWithoutWriting()
    {
        var table = await CreateTableAsync();
        var stale = (await table.ReadAll()).Version.Next();
        Assert.True(await table.InsertRow(MembershipEntries.New(), stale));

        Assert.False(await table.InsertRow(MembershipEntries.New(), stale));

        var data = await table.ReadAll();
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_VersionNotNext_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var current = (await table.ReadAll()).Version;

        Assert.False(await table.InsertRow(MembershipEntries.New(), new TableVersion(current.Version + 2, current.VersionEtag)));

        Assert.Empty((await table.ReadAll()).Members);
    }

    [Fact]
    public async Task UpdateRow_CurrentEtags_ReplacesEntryAndBumpsVersion()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var etag = read.TryGet(entry.SiloAddress)!.Item2;
        entry.Status = SiloStatus.Active;
        entry.SuspectTimes = [Tuple.Create(MembershipEntries.NewSilo(), MembershipEntries.Now())];

        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));

        var after = await table.ReadAll();
        var (stored, newEtag) = after.TryGet(entry.SiloAddress)!;
        Assert.Equal(entry.ToFullString(), stored.ToFullString());
        Assert.NotEqual(etag, newEtag);
        Assert.Equal(2, after.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_StaleRowEtag_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var first = await table.ReadAll();
        var staleEtag = first.TryGet(entry.SiloAddress)!.Item2;
        Assert.True(await table.UpdateRow(entry, staleEtag, first.Version.Next()));
        var current = await table.ReadAll();

        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRow(entry, staleEtag, current.Version.Next()));

        Assert.Equal(SiloStatus.Joining, (await table.ReadAll()).TryGet(entry.SiloAddress)!.Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_StaleTableVersion_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var etag = read.TryGet(entry.SiloAddress)!.Item2;
        // Another silo joins: the table version moves on, the row's own etag does not.
        Assert.True(await table.InsertRow(MembershipEntries.New(), read.Version.Next()));

        entry.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRow(entry, etag, read.Version.Next()));

        Assert.Equal(SiloStatus.Joining, (await table.ReadAll()).TryGet(entry.SiloAddress)!.Item1.Status);
    }

    [Fact]
    public async Task UpdateRow_SiloNotInTable_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var read = await table.ReadAll();

        Assert.False(await table.UpdateRow(MembershipEntries.New(), read.Version.VersionEtag, read.Version.Next()));
    }

    [Fact]
    public async Task UpdateIAmAlive_ExistingRow_ChangesOnlyHeartbeatAndKeepsEtagsValid()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var before = await table.ReadAll();
        var etag = before.TryGet(entry.SiloAddress)!.Item2;
        var alive = MembershipEntries.Now().AddSeconds(5);

        await table.UpdateIAmAlive(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = alive });

        var after = await table.ReadAll();
        var (stored, etagAfter) = after.TryGet(entry.SiloAddress)!;
        Assert.Equal(alive, stored.IAmAliveTime);
        Assert.Equal(entry.Status, stored.Status);
        Assert.Equal(entry.StartTime, stored.StartTime);
        Assert.Equal(etag, etagAfter);
        Assert.Equal(before.Version, after.Version);
        // What was read before the heartbeat still updates the row (Orleans 10 contract).
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, etag, before.Version.Next()));
    }

    [Fact]
    public async Task UpdateIAmAlive_SiloNotInTable_ThrowsNamingTheSilo()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => table.UpdateIAmAlive(entry));

        Assert.Contains(entry.SiloAddress.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRow_KnownAndUnknownSilo_ReturnsRowOrNoneWithVersion()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        Assert.True(await table.InsertRow(MembershipEntries.New(), (await table.ReadAll()).Version.Next()));

        var known = await table.ReadRow(entry.SiloAddress);
        var unknown = await table.ReadRow(MembershipEntries.NewSilo());

        Assert.Equal(entry.SiloAddress, Assert.Single(known.Members).Item1.SiloAddress);
        Assert.Equal(2, known.Version.Version);
        Assert.Empty(unknown.Members);
        Assert.Equal(known.Version, unknown.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_OldDeadRows_RemovesOnlyThose()
    {
        var table = await CreateTableAsync();
        var oldDead = Aged(MembershipEntries.New(SiloStatus.Dead));
        var oldJoining = Aged(MembershipEntries.New(SiloStatus.Joining));
        var recent = MembershipEntries.New(SiloStatus.Active);
        // Started and last alive long ago, but declared dead just now: the vote keeps it visible.
        var recentlyDeclaredDead = Aged(MembershipEntries.New(SiloStatus.Dead));
        recentlyDeclaredDead.SuspectTimes = [Tuple.Create(recent.SiloAddress, MembershipEntries.Now())];
        foreach (var entry in new[] { oldDead, oldJoining, recent, recentlyDeclaredDead })
        {
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }
        var version = (await table.ReadAll()).Version;

        await table.CleanupDefunctSiloEntries(oldDead.IAmAliveTime.AddDays(3));

        var data = await table.ReadAll();
        Assert.Equal(
            new[] { oldJoining, recent, recentlyDeclaredDead }.Select(e => e.SiloAddress).Order(),
            data.Members.Select(m => m.Item1.SiloAddress).Order());
        Assert.Equal(version, data.Version);
    }

    [Fact]
    public async Task InsertRow_ConcurrentWritersSameVersion_ExactlyOneSucceeds()
    {
        var table = await CreateTableAsync();
        var version = (await table.ReadAll()).Version.Next();
        var entries = Enumerable.Range(0, 12).Select(_ => MembershipEntries.New()).ToList();

        var results = await Task.WhenAll(entries.Select(entry => table.InsertRow(entry, version)));

        Assert.Equal(1, results.Count(ok => ok));
        var data = await table.ReadAll();
        Assert.Equal(entries[Array.IndexOf(results, true)].SiloAddress, Assert.Single(data.Members).Item1.SiloAddress);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_ConcurrentWritersWithHeartbeats_VersionIncrementsOncePerSuccess()
    {
        var table = await CreateTableAsync();
        var entry = MembershipEntries.New();
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        const int Writers = 8;
        var attempts = 0;
        var successes = 0;
        using var heartbeatsDone = new CancellationTokenSource();

        // Heartbeats race with the writers: they must neither lose a write nor bump the version.
        var heartbeats = Task.Run(async () =>
        {
            while (!heartbeatsDone.IsCancellationRequested)
            {
                await table.UpdateIAmAlive(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = DateTime.UtcNow });
            }
        }, Cancel);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            cap.CancelAfter(TimeSpan.FromSeconds(60));
            while (true)
            {
                cap.Token.ThrowIfCancellationRequested();
                var read = await table.ReadAll();
                var (row, etag) = read.TryGet(entry.SiloAddress)!;
                row.HostName = $"writer-{writer}";
                Interlocked.Increment(ref attempts);
                if (await table.UpdateRow(row, etag, read.Version.Next()))
                {
                    Interlocked.Increment(ref successes);
                    return;
                }
            }
        }));
        await heartbeatsDone.CancelAsync();
        await heartbeats;

        var data = await table.ReadAll();
        Assert.Equal(Writers, successes);
        Assert.Equal(1 + Writers, data.Version.Version);
        Assert.True(attempts >= Writers);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_ExistingTable_DeletesConfigMap()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRow(MembershipEntries.New(), (await table.ReadAll()).Version.Next()));

        await table.DeleteMembershipTableEntries(_clusterId);
        await table.DeleteMembershipTableEntries(_clusterId);

        var list = await ns.Client.CoreV1.ListNamespacedConfigMapAsync(ns.Name, fieldSelector: $"metadata.name={table.ConfigMapName}", cancellationToken: Cancel);
        Assert.Empty(list.Items);
        var data = await table.ReadAll();
        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task GetGateways_MixedStatuses_ListsActiveSilosWithProxyPort()
    {
        var table = await CreateTableAsync();
        var active = MembershipEntries.New(SiloStatus.Active);
        var activeNoGateway = MembershipEntries.New(SiloStatus.Active);
        activeNoGateway.ProxyPort = 0;
        var joining = MembershipEntries.New(SiloStatus.Joining);
        var dead = MembershipEntries.New(SiloStatus.Dead);
        foreach (var entry in new[] { active, activeNoGateway, joining, dead })
        {
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }
        var gateways = new KubernetesGatewayListProvider(table, Options.Create(new GatewayOptions()));
        await gateways.InitializeGatewayListProvider();

        var uris = await gateways.GetGateways();

        var expected = SiloAddress.New(active.SiloAddress.Endpoint.Address, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal([expected], uris);
    }

    [Fact]
    public async Task InsertRow_ManySilos_RowSizeLeavesRoomForOverAThousandSilos()
    {
        var table = await CreateTableAsync();
        // A worst-case row: long names and a full set of suspicion votes.
        var entry = MembershipEntries.New(SiloStatus.Dead);
        entry.HostName = new string('h', 63);
        entry.SiloName = new string('s', 63);
        entry.SuspectTimes = [.. Enumerable.Range(0, 4).Select(_ => Tuple.Create(MembershipEntries.NewSilo(), MembershipEntries.Now()))];
        Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));

        var configMap = await ns.Client.CoreV1.ReadNamespacedConfigMapAsync(table.ConfigMapName, ns.Name, cancellationToken: Cancel);
        var rowBytes = configMap.Data.Where(pair => pair.Key != "version").Sum(pair => pair.Key.Length + pair.Value.Length);

        var capacity = (1024 * 1024 - 200) / rowBytes;
        TestContext.Current.SendDiagnosticMessage($"Worst-case membership row: {rowBytes} bytes; one ConfigMap holds {capacity} such rows.");
        Assert.True(capacity > 1000, $"row of {rowBytes} bytes leaves room for only {capacity} silos");
    }

    private async Task<KubernetesMembershipTable> CreateTableAsync()
    {
        var table = new KubernetesMembershipTable(ns.Client, ownedClient: null, ns.Name, _clusterId, NullLogger<KubernetesMembershipTable>.Instance);
        await table.InitializeMembershipTable(true);
        return table;
    }

    private static MembershipEntry Aged(MembershipEntry entry)
    {
        entry.IAmAliveTime = entry.IAmAliveTime.AddDays(-10);
        entry.StartTime = entry.StartTime.AddDays(-10);
        return entry;
    }
}
