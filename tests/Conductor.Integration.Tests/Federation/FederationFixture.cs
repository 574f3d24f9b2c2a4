using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using Conductor.Runner;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Integration.Tests.Federation;

/// <summary>
/// What every federation scenario shares: both real kube-apiservers (management <c>KUBECONFIG</c>, tenant
/// <c>TENANT_KUBECONFIG</c>) with the Seam CRDs and a namespace of this class's own on each, and a management CA.
/// </summary>
public sealed class FederationFixture : IAsyncLifetime
{
    public FederationPki Pki { get; } = FederationPki.Create();

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("conductor-federation-").FullName;

    public IKubernetes Management { get; private set; } = null!;

    public IKubernetes Tenant { get; private set; } = null!;

    /// <summary>Namespace on the management server: audit chunks, ledgers, tenants' RunnerConfigs, artifacts.</summary>
    public string ManagementNamespace { get; } = $"conductor-test-{Guid.NewGuid():N}";

    /// <summary>Namespace on the tenant server: the tenant agents' RunnerConfigs, revocation marks, workloads.</summary>
    public string TenantNamespace { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync()
    {
        Management = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
        Tenant = await KubeFixture.ConnectAsync(KubeFixture.TenantKubeconfigVariable, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(Management, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(Tenant, CancellationToken.None);
        await CreateNamespaceAsync(Management, ManagementNamespace);
        await CreateNamespaceAsync(Tenant, TenantNamespace);
    }

    private readonly List<string> _tenantNamespaces = [];

    /// <summary>A further namespace on the tenant apiserver, deleted with the fixture.</summary>
    public async Task<string> CreateTenantNamespaceAsync()
    {
        var name = $"conductor-test-{Guid.NewGuid():N}";
        await CreateNamespaceAsync(Tenant, name);
        _tenantNamespaces.Add(name);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        if (Management is not null)
        {
            await DeleteNamespaceAsync(Management, ManagementNamespace);
            Management.Dispose();
        }

        if (Tenant is not null)
        {
            foreach (var name in _tenantNamespaces.Append(TenantNamespace))
            {
                await DeleteNamespaceAsync(Tenant, name);
            }

            Tenant.Dispose();
        }

        Pki.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Creates RunnerConfig <paramref name="name"/> in <paramref name="namespace"/> on <paramref name="client"/>.</summary>
    public static async Task CreateRunnerConfigAsync(IKubernetes client, string @namespace, string name)
    {
        var runnerConfig = new RunnerConfig
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new RunnerConfigSpec { ClusterRef = name, AgentImage = "registry.example/conductor-execute:v1.9.3" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(runnerConfig, SeamApi.Group, SeamApi.Version, @namespace, RunnerConfig.Plural);
    }

    public static async Task<RunnerConfig> ReadRunnerConfigAsync(IKubernetes client, string @namespace, string name)
    {
        var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(
            SeamApi.Group, SeamApi.Version, @namespace, RunnerConfig.Plural, name);
        return KubernetesJson.Deserialize<RunnerConfig>(raw.GetRawText());
    }

    /// <summary>Creates the imported tenant cluster's TalosCluster <paramref name="clusterId"/> in <paramref name="namespace"/> on management.</summary>
    public static Task CreateTalosClusterAsync(IKubernetes management, string @namespace, string clusterId) =>
        management.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(new JsonObject
        {
            ["apiVersion"] = SeamApi.ApiVersion,
            ["kind"] = TalosCluster.KindName,
            ["metadata"] = new JsonObject { ["name"] = clusterId, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["mode"] = "import", ["role"] = "tenant" },
        }, SeamApi.Group, SeamApi.Version, @namespace, TalosCluster.Plural);

    /// <summary>The TalosCluster's PermissionSnapshotAcknowledged condition, where management records the onboarding answer.</summary>
    public static async Task<V1Condition?> ReadAcknowledgementAsync(IKubernetes management, string @namespace, string clusterId)
    {
        var raw = await management.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            SeamApi.Group, SeamApi.Version, @namespace, TalosCluster.Plural, clusterId);
        var cluster = KubernetesJson.Deserialize<TalosCluster>(raw.GetRawText());
        return cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.PermissionSnapshotAcknowledged);
    }

    private static Task CreateNamespaceAsync(IKubernetes client, string name) =>
        client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });

    private static async Task DeleteNamespaceAsync(IKubernetes client, string name)
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
