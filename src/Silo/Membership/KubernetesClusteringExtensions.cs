using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Conductor.Silo.Membership;

/// <summary>Orleans clustering over the Kubernetes API: the membership table and the client gateway list.</summary>
public static class KubernetesClusteringExtensions
{
    /// <summary>
    /// Keeps the silo's membership in ConfigMap <c>orleans-membership-{clusterId}</c>. Options bind from the silo's
    /// configuration (<see cref="KubernetesMembershipOptions"/>) and then <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder UseKubernetesClustering(this ISiloBuilder silo, Action<KubernetesMembershipOptions>? configure = null)
    {
        AddMembershipTable(silo.Services, silo.Configuration, configure);
        silo.Services.AddSingleton<IMembershipTable>(services => services.GetRequiredService<KubernetesMembershipTable>());
        return silo;
    }

    /// <summary>Lets an Orleans client find the gateways of the Active silos in the Kubernetes membership table.</summary>
    public static IClientBuilder UseKubernetesClustering(this IClientBuilder client, Action<KubernetesMembershipOptions>? configure = null)
    {
        AddMembershipTable(client.Services, client.Configuration, configure);
        client.Services.AddSingleton<IGatewayListProvider, KubernetesGatewayListProvider>();
        return client;
    }

    /// <summary>
    /// The management silo's clustering: Kubernetes membership when <see cref="KubernetesMembershipOptions.UsesKubernetes"/>
    /// (plus Orleans' pod integration inside a pod), otherwise the embedded localhost table (DESIGN §4).
    /// </summary>
    public static ISiloBuilder UseConfiguredClustering(
        this ISiloBuilder silo, KubernetesMembershipOptions membership, int siloPort, int gatewayPort, string serviceId, string clusterId)
    {
        if (!membership.UsesKubernetes)
        {
            return silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
        }
        silo.UseKubernetesClustering().UseFailoverTuning();
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.SiloPort = siloPort;
            endpoints.GatewayPort = gatewayPort;
            // In a pod, Kubernetes hosting advertises POD_IP and listens on all interfaces; outside one (development,
            // tests) the silos share a machine and meet on loopback.
            if (!membership.RunsInPod)
            {
                endpoints.AdvertisedIPAddress = IPAddress.Loopback;
            }
        });
        if (membership.RunsInPod)
        {
            silo.UseKubernetesHosting();
        }
        return silo;
    }

    private static void AddMembershipTable(IServiceCollection services, IConfiguration configuration, Action<KubernetesMembershipOptions>? configure)
    {
        var options = services.AddOptionsWithValidateOnStart<KubernetesMembershipOptions>().Bind(configuration);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddSingleton<IValidateOptions<KubernetesMembershipOptions>>(provider =>
            new KubernetesMembershipOptionsValidator(provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        services.AddSingleton(provider =>
        {
            var membership = provider.GetRequiredService<IOptions<KubernetesMembershipOptions>>().Value;
            var clusterId = provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;
            var (client, owned) = MembershipKubernetesClient.Resolve(provider);
            return new KubernetesMembershipTable(client, owned, membership.Namespace, clusterId,
                provider.GetRequiredService<ILogger<KubernetesMembershipTable>>());
        });
    }
}
