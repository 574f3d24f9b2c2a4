using Conductor.Federation;
using Conductor.Grains.Sequencing;
using Conductor.Observability;
using Conductor.Resources.Seam;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Startup;
using k8s;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Dashboard;

/// <summary>
/// Gathers one <see cref="DashboardState"/>: connected tenants from the gateway's stream registry, each one's session
/// (heartbeat age, degraded channel) and revocations from its grains, and RunnerConfig progress listed from the API
/// server. A part that cannot be read is reported in the state rather than failing the whole page.
/// </summary>
public sealed class DashboardStateReader(IServiceProvider services, IOptions<AgentOptions> agent, TimeProvider time)
{
    /// <summary>How many of the latest revocations are shown.</summary>
    public const int RecentRevocations = 20;

    private static readonly TimeSpan GrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Said on the page: tenants do not send their WAL's fill level over federation yet.</summary>
    public const string WalNotReported =
        "not reported: tenants do not send their audit WAL's fill level over federation yet; a full WAL shows on the tenant's own RunnerConfig as AuditWALFull";

    public async Task<DashboardState> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var streams = services.GetService<FederationStreamRegistry>();
        var grains = services.GetService<IGrainFactory>();
        var connected = streams?.ConnectedClusterIds.Order(StringComparer.Ordinal).ToArray() ?? [];
        var tenants = await Task.WhenAll(connected.Select(id => TenantAsync(grains, id, now)));
        var (configs, configsError) = await RunnerConfigsAsync(cancellationToken);
        var clusters = connected.Concat(configs.Select(c => c.ClusterRef)).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal);
        var revocations = streams is null || grains is null ? [] : await RevocationsAsync(grains, clusters);
        return new DashboardState(agent.Value.ClusterRef, "management", now, streams is not null, tenants,
            services.GetService<ConductorMetrics>()?.Snapshot() ?? new ConductorMetricsSnapshot(0, 0, 0, 0, 0), WalNotReported, revocations, configs, configsError);
    }

    private static async Task<DashboardTenant> TenantAsync(IGrainFactory? grains, string clusterId, DateTimeOffset now)
    {
        if (grains is null)
        {
            return new DashboardTenant(clusterId, "connected", null, false, 0, "no grain factory in this agent");
        }
        try
        {
            var session = await grains.GetGrain<ITenantSessionGrain>(clusterId).GetStatusAsync().WaitAsync(GrainTimeout);
            var age = session.LastHeartBeat is { } beat ? Math.Max(0, (now - beat).TotalSeconds) : (double?)null;
            return new DashboardTenant(clusterId, "connected", age, session.Degraded, session.MissedAcks, null);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return new DashboardTenant(clusterId, "connected", null, false, 0, $"session grain did not answer: {e.Message}");
        }
    }

    private static async Task<DashboardRevocation[]> RevocationsAsync(IGrainFactory grains, IEnumerable<string> clusters)
    {
        // Read from the ledger, as the session grain does: asking each cluster's revocation grain would activate one
        // per tenant on every refresh only to forward the question to the ledger.
        var ledger = grains.GetGrain<IRevocationLedgerGrain>(0);
        var lists = await Task.WhenAll(clusters.Select(async cluster =>
        {
            try
            {
                return await ledger.ListAsync(cluster).WaitAsync(GrainTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return [];
            }
        }));
        return [.. lists.SelectMany(l => l)
            .OrderByDescending(r => r.RevokedAt)
            .Take(RecentRevocations)
            .Select(r => new DashboardRevocation(r.ClusterId, r.Target.ToString(), r.Namespace, r.Name, r.Reason, r.RevokedAt))];
    }

    private async Task<(DashboardRunnerConfig[] Configs, string? Error)> RunnerConfigsAsync(CancellationToken cancellationToken)
    {
        var client = services.GetService<IKubernetes>();
        var options = services.GetService<IOptions<SequencerOptions>>();
        if (client is null || options is null)
        {
            return ([], "this agent has no Kubernetes access configured");
        }
        try
        {
            var list = await new CustomResourceSource<RunnerConfig>(client, options.Value.Namespace).ListAsync(cancellationToken);
            return ([.. list.Items.Select(RunnerConfigProgress.Of).OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)], null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ([], $"listing RunnerConfigs in {options.Value.Namespace} failed: {e.Message}");
        }
    }
}
