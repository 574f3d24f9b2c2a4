using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using Conductor.Silo.Drift;
using Conductor.Silo.Leadership;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Signing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Conductor.Silo.Tests.Drift.DriftFixtures;

namespace Conductor.Silo.Tests.Drift;

/// <summary>
/// Management's handler on the real apiserver: a pending pack signal redeploys by deleting PackExecution
/// <c>{signal minus drift-}-{cluster}</c> and is queued naming it; at the limit TerminalDrift is recorded once.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class DriftSignalHandlerTests(ManagementTenantNamespace management) : IClassFixture<ManagementTenantNamespace>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

    private DriftSignalHandler Handler(ILeadership? leadership = null) =>
        new(management.Client, Writer(leadership), _time, escalationLimit: 3, NullLogger.Instance);

    [Fact]
    public async Task Handle_PendingWithPackExecution_DeletesItAndQueuesWithCorrection()
    {
        var (signal, execution) = await PendingAsync(counter: 0);
        await CreatePackExecutionAsync(management.Client, management.Name, execution);

        Assert.Equal(DriftHandling.Redeployed, await Handler().HandleAsync(signal, Ct));

        Assert.Null(await ReadPackExecutionAsync(management.Client, management.Name, execution));
        var stored = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(DriftState.Queued, stored!.Spec.State);
        Assert.Equal(execution, stored.Spec.CorrectionJobRef);
        Assert.Equal(0, stored.Spec.EscalationCounter);
    }

    [Fact]
    public void PackExecution_ReferenceExample_SignalMinusPrefixPlusCluster() =>
        Assert.Equal("nginx-ccs-dev-ccs-dev", DriftNames.PackExecution("drift-nginx-ccs-dev", "ccs-dev"));

    [Fact]
    public async Task Handle_PendingWithoutPackExecution_QueuedWithoutCorrection()
    {
        var (signal, _) = await PendingAsync(counter: 1);

        Assert.Equal(DriftHandling.QueuedWithoutRedeploy, await Handler().HandleAsync(signal, Ct));

        var stored = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(DriftState.Queued, stored!.Spec.State);
        Assert.Null(stored.Spec.CorrectionJobRef);
        Assert.Equal(1, stored.Spec.EscalationCounter);
    }

    [Fact]
    public async Task Handle_PendingAtLimit_TerminalDriftOnceAndPackExecutionKept()
    {
        var (signal, execution) = await PendingAsync(counter: 3);
        await CreatePackExecutionAsync(management.Client, management.Name, execution);

        Assert.Equal(DriftHandling.Terminal, await Handler().HandleAsync(signal, Ct));

        Assert.NotNull(await ReadPackExecutionAsync(management.Client, management.Name, execution));
        var stored = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(DriftState.Pending, stored!.Spec.State);
        var terminal = Assert.Single(stored.Status!.Conditions!, c => c.Type == DriftSignalHandler.TerminalDriftCondition);
        Assert.Equal("True", terminal.Status);
        Assert.Equal(DriftSignalHandler.TerminalDriftReason, terminal.Reason);
        Assert.Contains("arranged drift", terminal.Message, StringComparison.Ordinal);

        // Seen again (a resync): recorded already, so nothing is rewritten.
        Assert.Equal(DriftHandling.Ignored, await Handler().HandleAsync(stored, Ct));
        var again = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(stored.Metadata.ResourceVersion, again!.Metadata.ResourceVersion);
    }

    [Theory]
    [InlineData(DriftState.Queued)]
    [InlineData(DriftState.Confirmed)]
    public async Task Handle_NotPending_NothingHappens(DriftState state)
    {
        var (signal, execution) = await PendingAsync(counter: 0, state);
        await CreatePackExecutionAsync(management.Client, management.Name, execution);

        Assert.Equal(DriftHandling.Ignored, await Handler().HandleAsync(signal, Ct));

        Assert.NotNull(await ReadPackExecutionAsync(management.Client, management.Name, execution));
        var stored = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(signal.Metadata.ResourceVersion, stored!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Handle_VersionSignal_LeftToThePlatformOperator()
    {
        var signal = await SetSignalAsync(management.Client, management.Name, DriftNames.TalosSignal(Unique("c")), new DriftSignalSpec
        {
            State = DriftState.Pending,
            AffectedCrRef = new AffectedObjectRef { Kind = TalosCluster.KindName, Name = management.Cluster },
        });

        Assert.Equal(DriftHandling.Ignored, await Handler().HandleAsync(signal, Ct));
    }

    [Fact]
    public async Task Handle_NotLeader_NeitherDeletesNorQueues()
    {
        var (signal, execution) = await PendingAsync(counter: 0);
        await CreatePackExecutionAsync(management.Client, management.Name, execution);

        await Assert.ThrowsAsync<NotLeaderException>(() => Handler(new NeverLeader()).HandleAsync(signal, Ct));

        Assert.NotNull(await ReadPackExecutionAsync(management.Client, management.Name, execution));
        var stored = await ReadSignalAsync(management.Client, management.Name, signal.Metadata.Name);
        Assert.Equal(DriftState.Pending, stored!.Spec.State);
    }

    private async Task<(DriftSignal Signal, string Execution)> PendingAsync(int counter, DriftState state = DriftState.Pending)
    {
        var name = DriftNames.PackSignal(Unique("nginx"));
        var signal = await SetSignalAsync(management.Client, management.Name, name, new DriftSignalSpec
        {
            State = state,
            EscalationCounter = counter,
            DriftReason = "arranged drift",
            AffectedCrRef = new AffectedObjectRef { Kind = "ConfigMap", Namespace = "web", Name = "nginx" },
        });
        return (signal, DriftNames.PackExecution(name, management.Cluster));
    }
}
