using Conductor.Silo.Drift;
using Conductor.Silo.Tests.TestHosting;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Drift;

/// <summary>Drift settings as the agent reads them: every bad value reported at once, naming its variable.</summary>
public sealed class DriftExtensionsTests
{
    [Fact]
    public void AddTenantDriftDetection_BadSettings_EveryProblemNamed()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            [DriftOptions.ResyncPeriodEnvVar] = "soon",
            [DriftOptions.EscalationLimitEnvVar] = "0",
            ["MGMT_KUBECONFIG_PATH"] = "/nonexistent/mgmt-kubeconfig",
        }, services => services.AddTenantDriftDetection());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DriftOptions>>().Value);

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("DRIFT_RESYNC_PERIOD 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DRIFT_ESCALATION_LIMIT 0 must be at least 1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MGMT_KUBECONFIG_PATH=/nonexistent/mgmt-kubeconfig does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("CLUSTER_REF is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AddDriftSignalHandler_Unset_ReferenceDefaults()
    {
        using var provider = Build([], services => services.AddDriftSignalHandler());

        var options = provider.GetRequiredService<IOptions<DriftOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.ResyncPeriod);
        Assert.Equal(3, options.EscalationLimit);
    }

    [Fact]
    public void AddDriftSignalHandler_Set_ReadAsDurationAndLimit()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            [DriftOptions.ResyncPeriodEnvVar] = "5s",
            [DriftOptions.EscalationLimitEnvVar] = "5",
        }, services => services.AddDriftSignalHandler());

        var options = provider.GetRequiredService<IOptions<DriftOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.ResyncPeriod);
        Assert.Equal(5, options.EscalationLimit);
    }

    [Fact]
    public async Task TenantDriftHost_NoManagementKubeconfig_SaysDetectionIsOff()
    {
        using var logs = new RecordingLoggerProvider();
        await using var provider = Build(new Dictionary<string, string?> { ["CLUSTER_REF"] = "ccs-dev" }, services => services.AddTenantDriftDetection(), logs);
        var host = provider.GetServices<IHostedService>().OfType<TenantDriftHost>().Single();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Contains(logs.Entries, e => e.Message.Contains("Drift detection is off: MGMT_KUBECONFIG_PATH is not set", StringComparison.Ordinal));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection> add, RecordingLoggerProvider? logs = null)
    {
        // No API call is made: the client is only constructed for the services' dependencies.
        var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });
        return AgentServices.Build(client, logs ?? new RecordingLoggerProvider(), settings, add);
    }
}
