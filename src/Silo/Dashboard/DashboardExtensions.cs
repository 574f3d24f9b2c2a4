using Conductor.Observability;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Roles;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Dashboard;

/// <summary>
/// The management silo's live page on INTERNAL_PORT: <c>/dashboard</c> (HTML that polls) and
/// <c>/dashboard/api/state</c> (JSON). It shows the tenants with a live federation stream and Conductor's counters;
/// when this agent runs no federation gateway it says so instead of showing an empty table as if none connected.
/// </summary>
public static class DashboardExtensions
{
    public const string PagePath = "/dashboard";
    public const string StatePath = "/dashboard/api/state";

    public static WebApplication MapAgentDashboard(this WebApplication app, AgentRole role, int internalPort)
    {
        if (role != AgentRole.Management)
        {
            return app;
        }
        var onInternalPort = $"*:{internalPort}";
        app.MapGet(PagePath, () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8")).RequireHost(onInternalPort);
        app.MapGet(StatePath, (IServiceProvider services, IOptions<AgentOptions> agent, TimeProvider time) =>
            Results.Json(Read(services, agent.Value, time), DashboardJson.Default.DashboardState)).RequireHost(onInternalPort);
        return app;
    }

    private static DashboardState Read(IServiceProvider services, AgentOptions agent, TimeProvider time)
    {
        var streams = services.GetService<FederationStreamRegistry>();
        var tenants = streams is null
            ? []
            : streams.ConnectedClusterIds.Order(StringComparer.Ordinal).Select(id => new DashboardTenant(id, "connected")).ToArray();
        return new DashboardState(agent.ClusterRef, "management", time.GetUtcNow(), streams is not null, tenants,
            services.GetRequiredService<ConductorMetrics>().Snapshot());
    }
}
