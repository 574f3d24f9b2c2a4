using Conductor.Silo.Custody;
using Conductor.Discovery;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Microsoft.Extensions.Options;
using k8s;

namespace Conductor.Silo.Drift;

/// <summary>
/// Starts <see cref="TenantDriftService"/> when <c>MGMT_KUBECONFIG_PATH</c> is set (signals live on management);
/// otherwise says, once, that drift on this cluster is not reported.
/// </summary>
public sealed partial class TenantDriftHost(IOptions<DriftOptions> options, IKubernetes local, ManagementCluster management, ILeadership leadership, LeaderOnlyWriter writer,
    TimeProvider time, ILoggerFactory loggers, WatchReadiness? readiness = null) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<TenantDriftHost>();
    private TenantDriftService? _service;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.TenantEnabled)
        {
            LogDisabled(_logger, CustodyOptions.ManagementKubeconfigEnvVar);
            return;
        }
        _service = Create(settings, local, management.Client, leadership, writer, time, loggers, readiness);
        await _service.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_service is { } service)
        {
            await service.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is { } service)
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>Composes the tenant drift service for a local and a management client.</summary>
    public static TenantDriftService Create(DriftOptions settings, IKubernetes local, IKubernetes management, ILeadership leadership,
        LeaderOnlyWriter writer, TimeProvider time, ILoggerFactory loggers, WatchReadiness? readiness = null)
    {
        var signals = new DriftSignalWriter(management, DriftNames.TenantNamespace(settings.ClusterRef), writer, time, settings.EscalationLimit,
            loggers.CreateLogger<DriftSignalWriter>());
        var packs = new PackDriftCheck(local, new ApiDiscovery(local), loggers.CreateLogger<PackDriftCheck>());
        var reconciler = new TenantDriftReconciler(settings, local, packs, signals, loggers.CreateLogger<TenantDriftReconciler>());
        return new TenantDriftService(settings, local, reconciler, leadership, time, loggers, readiness);
    }

    [LoggerMessage(1, LogLevel.Warning, "Drift detection is off: {Variable} is not set; set it to the management kubeconfig so missing pack resources and version drift are reported")]
    private static partial void LogDisabled(ILogger logger, string variable);
}
