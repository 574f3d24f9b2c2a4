using Conductor.Observability;

namespace Conductor.Silo.Dashboard;

/// <summary>What the dashboard shows at one moment, served as JSON on <c>/dashboard/api/state</c>.</summary>
public sealed record DashboardState(
    string ClusterRef,
    string Role,
    DateTimeOffset At,
    bool FederationGatewayRunning,
    IReadOnlyList<DashboardTenant> Tenants,
    ConductorMetricsSnapshot Counts,
    string WalBackPressure,
    IReadOnlyList<DashboardRevocation> Revocations,
    IReadOnlyList<DashboardRunnerConfig> RunnerConfigs,
    string? RunnerConfigsError);

/// <summary>
/// One tenant cluster with a live federation stream and its session as the tenant's session grain holds it: seconds
/// since its last heartbeat (null before the first), whether the channel is degraded and how many acks it missed.
/// </summary>
public sealed record DashboardTenant(string ClusterId, string Stream, double? HeartbeatAgeSeconds, bool Degraded, int MissedAcks, string? SessionError);

/// <summary>One revocation recorded for a tenant cluster.</summary>
public sealed record DashboardRevocation(string ClusterId, string Target, string Namespace, string Name, string Reason, DateTimeOffset RevokedAt);

/// <summary>
/// One RunnerConfig's progress: its phase, the step running now (or next), how many steps have ended, and the step that
/// failed the sequence.
/// </summary>
public sealed record DashboardRunnerConfig(
    string Namespace, string Name, string ClusterRef, string Phase, string? CurrentStep, int StepsDone, int StepsTotal, string? FailedStep);
