using Conductor.Silo.Roles;

namespace Conductor.Silo.Dashboard;

/// <summary>
/// The management silo's live page on INTERNAL_PORT: <c>/dashboard</c> (HTML that polls) and
/// <c>/dashboard/api/state</c> (JSON). It shows the tenants with a live federation stream with their heartbeat age and
/// degraded channels, Conductor's counters, recent revocations, RunnerConfig progress, and says plainly what it cannot
/// show (WAL back-pressure is not reported by tenants; no federation gateway in this agent).
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
        var reader = ActivatorUtilities.CreateInstance<DashboardStateReader>(app.Services);
        // Bound to the request's CancellationToken (not HttpContext, which would make the lambda a RequestDelegate whose
        // returned result is dropped).
        app.MapGet(StatePath, async (CancellationToken requestAborted) =>
            Results.Json(await reader.ReadAsync(requestAborted), DashboardJson.Default.DashboardState)).RequireHost(onInternalPort);
        return app;
    }
}
