using Conductor.Observability;

namespace Conductor.Silo.Dashboard;

/// <summary>What the dashboard shows at one moment, served as JSON on <c>/dashboard/api/state</c>.</summary>
public sealed record DashboardState(
    string ClusterRef,
    string Role,
    DateTimeOffset At,
    bool FederationGatewayRunning,
    IReadOnlyList<DashboardTenant> Tenants,
    ConductorMetricsSnapshot Counts);

/// <summary>One tenant cluster with a live federation stream.</summary>
public sealed record DashboardTenant(string ClusterId, string Stream);
