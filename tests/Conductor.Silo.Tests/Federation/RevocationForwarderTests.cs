using Conductor.Custody;
using Conductor.Federation;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Federation;

/// <summary>Revocations the federation client applies reach custody verification, live and after a restart.</summary>
[Collection(KubeCollection.Name)]
public sealed class RevocationForwarderTests(KubeFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _namespace = new(kube);

    public ValueTask InitializeAsync() => _namespace.InitializeAsync();

    public ValueTask DisposeAsync() => _namespace.DisposeAsync();

    [Fact]
    public async Task Applied_WhileRunning_ReachesSinkMapped()
    {
        var store = Store();
        var sink = new RecordingSink();
        var forwarder = new RevocationForwarder(store, [sink], NullLogger<RevocationForwarder>.Instance);
        await forwarder.StartAsync(TestContext.Current.CancellationToken);

        await store.ApplyAsync(Notice("rev-1", RevocationTarget.PermissionSnapshot, "snapshot-a"), TestContext.Current.CancellationToken);
        var received = await sink.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(new ArtifactRevocation(RevokedArtifactKind.PermissionSnapshot, "seam-tenant-a", "snapshot-a", "compromised",
            Revoked, "rev-1"), received);
        await forwarder.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Start_MarksFromEarlierRun_ReplayedIntoSink()
    {
        await Store().ApplyAsync(Notice("rev-2", RevocationTarget.PackInstalled, "pack-b"), TestContext.Current.CancellationToken);
        var sink = new RecordingSink();
        var restarted = new RevocationForwarder(Store(), [sink], NullLogger<RevocationForwarder>.Instance);

        await restarted.StartAsync(TestContext.Current.CancellationToken);
        var received = await sink.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(RevokedArtifactKind.PackInstalled, received.Kind);
        Assert.Equal("pack-b", received.Name);
    }

    private static readonly DateTimeOffset Revoked = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private RevokedArtifacts Store() => new(kube.Client,
        Options.Create(new FederationClientOptions { AgentNamespace = _namespace.Name }), NullLogger<RevokedArtifacts>.Instance);

    private static RevocationNotice Notice(string id, RevocationTarget target, string name) =>
        new("cluster-a", target, "seam-tenant-a", name, "compromised", Revoked, id);

    private sealed class RecordingSink : IRevocationSink
    {
        private readonly TaskCompletionSource<ArtifactRevocation> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ArtifactRevocation> Next => _next.Task;

        public Task RevokeAsync(ArtifactRevocation revocation, CancellationToken cancellationToken)
        {
            _next.TrySetResult(revocation);
            return Task.CompletedTask;
        }
    }
}
