using Conductor.Federation;
using Conductor.Grains.Federation;
using Conductor.Grains.Federation.Storage;

namespace Conductor.Grains.Tests.Federation;

[Collection(ClusterCollection.Name)]
public sealed class RevocationLedgerGrainTests(ClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokeAsync_ManyClustersAtOnce_GroupedIntoFewJournalWrites()
    {
        const int Clusters = 200;
        var run = Guid.NewGuid().ToString("N")[..8];
        var notices = Enumerable.Range(0, Clusters).Select(i => Notice($"ledger-{run}-{i}", $"{run}/{i}")).ToList();

        // Activated first, so the revocations reach the ledger together rather than spread over 200 activations.
        var grains = notices.Select(n => fixture.Cluster.Client.GetGrain<IRevocationGrain>(n.ClusterId)).ToList();
        await Task.WhenAll(grains.Select(g => g.ListAsync()));

        await Task.WhenAll(notices.Select((n, i) => grains[i].RevokeAsync(n)));

        var pages = (await new RevocationJournal(fixture.Kube, fixture.Namespace).ReadAllAsync(Ct))
            .Where(p => p.Notices.Any(n => n.RevocationId.StartsWith(run, StringComparison.Ordinal)))
            .ToList();
        var stored = pages.SelectMany(p => p.Notices).Where(n => n.RevocationId.StartsWith(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(notices.Select(n => n.RevocationId).Order(), stored.Select(n => n.RevocationId).Order());
        // One write per revocation would be 200; grouping makes it a handful (arrival spread on a loaded machine adds some).
        Assert.True(pages.Count <= Clusters / 4, $"{Clusters} concurrent revocations took {pages.Count} journal writes");
        foreach (var notice in notices)
        {
            Assert.Equal([notice], await fixture.Cluster.Client.GetGrain<IRevocationGrain>(notice.ClusterId).ListAsync());
        }
    }

    [Fact]
    public async Task RevokeAsync_SameRevocationTwice_RecordedOnce()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var notice = Notice($"twice-{run}", $"{run}/0");
        var grain = fixture.Cluster.Client.GetGrain<IRevocationGrain>(notice.ClusterId);

        await Task.WhenAll(grain.RevokeAsync(notice), grain.RevokeAsync(notice));
        await grain.RevokeAsync(notice);

        var stored = (await new RevocationJournal(fixture.Kube, fixture.Namespace).ReadAllAsync(Ct))
            .SelectMany(p => p.Notices).Count(n => n.RevocationId == notice.RevocationId);
        Assert.Equal(1, stored);
        Assert.Single(await grain.ListAsync());
    }

    private static RevocationNotice Notice(string clusterId, string id) =>
        new(clusterId, RevocationTarget.PackInstalled, "seam-tenant-x", "nginx", "revoked", DateTimeOffset.UnixEpoch, id);
}
