using Conductor.TestSupport.Logging;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.TestHosting;

/// <summary>
/// A service provider wired like the agent's (same Add* extensions), but with the test's Kubernetes client,
/// settings and a recording logger, so a test can resolve and start exactly the components it exercises.
/// </summary>
public static class AgentServices
{
    public static ServiceProvider Build(
        IKubernetes client, RecordingLoggerProvider logs, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> add)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(client);
        services.AddSingleton(TimeProvider.System);
        add(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Fast lease timings for tests: 3 s lease, 2 s renew deadline, 250 ms retry.</summary>
    public static Dictionary<string, string?> FastLease(string @namespace, string cluster, string identity) => new()
    {
        ["POD_NAMESPACE"] = @namespace,
        ["CLUSTER_REF"] = cluster,
        ["POD_NAME"] = identity,
        ["LEASE_DURATION"] = "3s",
        ["LEASE_RENEW_DEADLINE"] = "2s",
        ["LEASE_RETRY_PERIOD"] = "250ms",
    };
}
