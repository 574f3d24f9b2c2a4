using Conductor.Resources.Seam;
using Conductor.Silo.Drift;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Leadership;
using Conductor.Silo.Tests.Signing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Conductor.Silo.Tests.Drift.DriftFixtures;

namespace Conductor.Silo.Tests.Drift;

/// <summary>
/// Both halves running as services against the two real apiservers: the tenant's watch-driven drift loop and
/// management's watch-driven handler drive a signal through pending → queued → pending … until TerminalDrift, and
/// the counter moves only when a PackExecution was actually redeployed. Resyncs are driven by fake time.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class DriftEscalationTests(ManagementTenantNamespace management, TenantReceiptNamespace tenant)
    : IClassFixture<ManagementTenantNamespace>, IClassFixture<TenantReceiptNamespace>
{
    private const int Limit = 2;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

    [Fact]
    public async Task Services_RedeployNeverFixesDrift_TerminalDriftAfterLimitRedeploys()
    {
        var options = Options(management.Cluster, tenant.Name, Limit);
        var name = Unique("web");
        var signal = DriftNames.PackSignal(name);
        var execution = DriftNames.PackExecution(signal, management.Cluster);
        await CreatePackExecutionAsync(management.Client, management.Name, execution);
        await using var services = await StartAsync(options);

        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));

        // No time has passed: the receipt's watch event alone raised the signal, and the signal's event alone redeployed.
        var queued = await WaitSignalAsync(management.Client, management.Name, signal, s => s.Spec.State == DriftState.Queued);
        Assert.Equal(execution, queued.Spec.CorrectionJobRef);
        Assert.Equal(0, queued.Spec.EscalationCounter);

        // Stand in for the PackExecution's owner (it recreates what the handler deleted) and let resyncs pass.
        var recreated = 0;
        var terminal = await WaitSignalAsync(management.Client, management.Name, signal,
            s => s.Status?.Conditions?.Any(c => c.Type == DriftSignalHandler.TerminalDriftCondition) == true,
            async () =>
            {
                if (await ReadPackExecutionAsync(management.Client, management.Name, execution) is null)
                {
                    await CreatePackExecutionAsync(management.Client, management.Name, execution);
                    recreated++;
                }
                _time.Advance(options.ResyncPeriod);
            });

        Assert.Equal(Limit, terminal.Spec.EscalationCounter);
        Assert.Equal(DriftState.Pending, terminal.Spec.State);
        // Every redeploy deleted the PackExecution once: those the stand-in recreated, and possibly the last one.
        var deleted = recreated + (await ReadPackExecutionAsync(management.Client, management.Name, execution) is null ? 1 : 0);
        Assert.Equal(Limit, deleted);
    }

    [Fact]
    public async Task Services_NothingToRedeploy_CounterNeverAdvances()
    {
        var options = Options(management.Cluster, tenant.Name, Limit);
        var name = Unique("orphan");
        var signal = DriftNames.PackSignal(name);
        await using var services = await StartAsync(options);

        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));
        await WaitSignalAsync(management.Client, management.Name, signal, s => s.Spec.State == DriftState.Queued);

        // Several resyncs in which the tenant re-checks the receipt and still sees the drift.
        for (var resync = 0; resync < Limit + 2; resync++)
        {
            var before = services.Tenant.Processed;
            _time.Advance(options.ResyncPeriod);
            await WaitUntilAsync(() => services.Tenant.Processed > before);
        }

        var stored = await ReadSignalAsync(management.Client, management.Name, signal);
        Assert.Equal(DriftState.Queued, stored!.Spec.State);
        Assert.Equal(0, stored.Spec.EscalationCounter);
        Assert.Null(stored.Spec.CorrectionJobRef);
        Assert.Null(stored.Status?.Conditions);
    }

    [Fact]
    public async Task Services_DriftResolvedAfterRedeploy_Confirmed()
    {
        var options = Options(management.Cluster, tenant.Name, Limit);
        var name = Unique("fixed");
        var signal = DriftNames.PackSignal(name);
        await CreatePackExecutionAsync(management.Client, management.Name, DriftNames.PackExecution(signal, management.Cluster));
        await using var services = await StartAsync(options);
        await CreateReceiptAsync(tenant.Client, Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)));
        await WaitSignalAsync(management.Client, management.Name, signal, s => s.Spec.State == DriftState.Queued);

        // The redeploy restores the object.
        await CreateConfigMapAsync(tenant.Client, tenant.Name, name);
        var confirmed = await WaitSignalAsync(management.Client, management.Name, signal, s => s.Spec.State == DriftState.Confirmed,
            () =>
            {
                _time.Advance(options.ResyncPeriod);
                return Task.CompletedTask;
            });

        Assert.Equal(0, confirmed.Spec.EscalationCounter);
        Assert.Null(confirmed.Spec.CorrelationId);
    }

    private async Task<RunningServices> StartAsync(DriftOptions options)
    {
        var tenantService = TenantDriftHost.Create(options, tenant.Client, management.Client, new AlwaysLeader(), Writer(), _time, NullLoggerFactory.Instance);
        var handler = new DriftSignalHandlerService(Microsoft.Extensions.Options.Options.Create(options), management.Client, new AlwaysLeader(), Writer(),
            _time, NullLoggerFactory.Instance);
        await tenantService.StartAsync(Ct);
        await handler.StartAsync(Ct);
        return new RunningServices(tenantService, handler);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Cap;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the condition did not hold within {Cap}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct);
        }
    }

    private sealed record RunningServices(TenantDriftService Tenant, DriftSignalHandlerService Handler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Tenant.DisposeAsync();
            await Handler.DisposeAsync();
        }
    }
}
