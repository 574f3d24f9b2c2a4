using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Bench.Failover;

/// <summary>
/// What one run shares: both apiservers with the Seam CRDs, a namespace of its own on each (membership table, audit
/// chunks and leases on management; the tenants' RunnerConfigs on the tenant server), the management CA and a
/// scratch directory for certificates, WALs and silo logs.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private BenchCluster(IKubernetes management, IKubernetes tenant)
    {
        (Management, Tenant) = (management, tenant);
        Server = Pki.WriteTo(Path.Combine(Directory, "server"), "unused");
    }

    public FederationPki Pki { get; } = FederationPki.Create();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("conductor-failover-").FullName;

    public IKubernetes Management { get; }

    public IKubernetes Tenant { get; }

    /// <summary>CA, gateway certificate and key every silo serves.</summary>
    public FederationPkiFiles Server { get; }

    public string ManagementNamespace { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public string TenantNamespace { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public string OrleansClusterId { get; } = $"failover-{Guid.NewGuid():N}"[..20];

    public static async Task<BenchCluster> CreateAsync()
    {
        var management = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
        var tenant = await KubeFixture.ConnectAsync(KubeFixture.TenantKubeconfigVariable, CancellationToken.None);
        var cluster = new BenchCluster(management, tenant);
        await CrdInstaller.EnsureInstalledAsync(management, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(tenant, CancellationToken.None);
        await CreateNamespaceAsync(management, cluster.ManagementNamespace);
        await CreateNamespaceAsync(tenant, cluster.TenantNamespace);
        return cluster;
    }

    /// <summary>The tenant's RunnerConfig on its own cluster, where its agent records a degraded channel.</summary>
    public Task CreateRunnerConfigAsync(string clusterId) =>
        Tenant.CustomObjects.CreateNamespacedCustomObjectAsync(new RunnerConfig
        {
            Metadata = new V1ObjectMeta { Name = clusterId, NamespaceProperty = TenantNamespace },
            Spec = new RunnerConfigSpec { ClusterRef = clusterId, AgentImage = "registry.example/conductor-execute:v1.9.3" },
        }, SeamApi.Group, SeamApi.Version, TenantNamespace, RunnerConfig.Plural);

    public async ValueTask DisposeAsync()
    {
        await Management.CoreV1.DeleteNamespaceAsync(ManagementNamespace);
        await Tenant.CoreV1.DeleteNamespaceAsync(TenantNamespace);
        Management.Dispose();
        Tenant.Dispose();
        Pki.Dispose();
        // The silos' logs are kept for a look at what a figure came from; certificates and WALs go.
        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(Directory).Where(e => !e.EndsWith(".log", StringComparison.Ordinal)))
        {
            if (System.IO.Directory.Exists(entry))
            {
                System.IO.Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static Task CreateNamespaceAsync(IKubernetes client, string name) =>
        client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });
}
