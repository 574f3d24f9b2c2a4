using Conductor.Grains.Federation;
using Conductor.Silo.Federation;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Revocation;
using Conductor.TestSupport.Network;
using k8s;

namespace Conductor.Bench.Federation;

/// <summary>The management agent's federation side (silo, gateway, grains) on loopback, storing in one namespace.</summary>
public static class BenchManagement
{
    public static async Task<(WebApplication App, int Port)> StartAsync(BenchPki pki, IKubernetes kube, string @namespace, TimeSpan heartBeat)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationGatewayOptions.PortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [FederationGatewayOptions.CaCertificatePathVariable] = pki.Server.CaCertificatePath,
            [FederationGatewayOptions.ServerCertificatePathVariable] = pki.Server.ServerCertificatePath,
            [FederationGatewayOptions.ServerKeyPathVariable] = pki.Server.ServerKeyPath,
            [FederationGrainOptions.StoreNamespaceVariable] = @namespace,
        });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(kube);
        builder.Services.AddManagementFederation();
        builder.Services.Configure<FederationGatewayOptions>(o => o.BindAddress = "127.0.0.1");
        builder.Services.Configure<FederationGrainOptions>(o => (o.HeartBeatInterval, o.RunnerConfigNamespace) = (heartBeat, @namespace));
        builder.Services.Configure<RevocationWatchOptions>(o => o.Namespace = @namespace);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next()).AddMemoryGrainStorageAsDefault());
        var app = builder.Build();
        app.MapManagementFederation();
        await app.StartAsync();
        return (app, port);
    }
}
