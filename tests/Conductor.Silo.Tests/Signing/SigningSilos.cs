using Conductor.Observability;
using Conductor.Signing;
using Conductor.Silo.Signing;
using Conductor.TestSupport;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace Conductor.Silo.Tests.Signing;

/// <summary>
/// A real in-process Orleans cluster of one or more silos, each running the management signing service against the
/// real kube-apiserver, limited to one namespace and signing with the key in <see cref="KeyPath"/>.
/// </summary>
public sealed class SigningSilos : IAsyncDisposable
{
    private readonly TemporaryDirectory _keys;

    private SigningSilos(InProcessTestCluster cluster, TemporaryDirectory keys, string keyPath)
    {
        Cluster = cluster;
        _keys = keys;
        KeyPath = keyPath;
    }

    public InProcessTestCluster Cluster { get; }

    public string KeyPath { get; }

    public static async Task<SigningSilos> StartAsync(IKubernetes client, string @namespace, Ed25519PrivateKey key, int silos = 1, string? keyPath = null)
    {
        var directory = new TemporaryDirectory();
        var path = keyPath ?? directory.File("signing.pem");
        await File.WriteAllTextAsync(path, key.ExportPem());
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [SigningOptions.PrivateKeyPathEnvVar] = path,
                [SigningOptions.NamespaceEnvVar] = @namespace,
                // Rotation is driven by the tests through SigningKeyFile.Reload, not by the poll.
                [SigningOptions.KeyReloadSecondsEnvVar] = "3600",
            });
            host.Services.TryAddSingleton(TimeProvider.System);
            host.Services.AddSingleton(client);
            host.Services.AddMetrics();
            host.Services.TryAddSingleton<ConductorMetrics>();
            host.Services.AddManagementSigning(host.Configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SigningSilos(cluster, directory, path);
    }

    /// <summary>Writes <paramref name="key"/> to the key file and has every silo reload it, as the poll would.</summary>
    public async Task RotateAsync(Ed25519PrivateKey key)
    {
        await File.WriteAllTextAsync(KeyPath, key.ExportPem());
        foreach (var silo in Cluster.Silos)
        {
            silo.ServiceProvider.GetRequiredService<SigningKeyFile>().Reload();
        }
    }

    public ISigningGrain Grain(SignedKind kind, string @namespace, string name) =>
        Cluster.Client.GetGrain<ISigningGrain>(ISigningGrain.Key(kind, @namespace, name));

    /// <summary>Stops every silo; their signing services finish what they started first.</summary>
    public Task StopAsync() => Cluster.StopAllSilosAsync();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _keys.Dispose();
    }
}
