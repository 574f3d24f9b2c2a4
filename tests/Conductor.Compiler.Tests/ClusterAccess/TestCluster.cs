using System.Net;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Compiler.Tests.ClusterAccess;

/// <summary>
/// The maintenance tests' world on the real kube-apiserver: the client from $KUBECONFIG (checked as
/// <see cref="KubeFixture"/> checks it), a namespace of the test's own, and cleanup of the cluster-scoped objects
/// (nodes, the shared seam-system Lease and pod) that a per-class <see cref="TestNamespace"/> cannot remove.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<Func<Task>> _cleanup = [];

    private TestCluster(string kubeconfig, IKubernetes client, string ns)
    {
        Kubeconfig = kubeconfig;
        Client = client;
        Namespace = ns;
    }

    public string Kubeconfig { get; }

    public IKubernetes Client { get; }

    /// <summary>The test's own namespace, <c>conductor-test-{guid}</c>.</summary>
    public string Namespace { get; }

    /// <summary>Connects through the shared <see cref="KubeFixture"/> check and makes a labelled test namespace.</summary>
    public static async Task<TestCluster> StartAsync()
    {
        var client = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
        var kubeconfig = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!;
        var ns = $"conductor-test-{Guid.NewGuid():N}";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = ns, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });
        var cluster = new TestCluster(kubeconfig, client, ns);
        cluster._cleanup.Add(() => client.CoreV1.DeleteNamespaceAsync(ns));
        return cluster;
    }

    /// <summary>Creates the namespace when it is missing; shared namespaces (seam-system) are never deleted.</summary>
    public async Task EnsureNamespaceAsync(string name)
    {
        try
        {
            await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there.
        }
    }

    public async Task CreateLeaseAsync(string ns, string name, string? holder)
    {
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1LeaseSpec { HolderIdentity = holder } }, ns);
        _cleanup.Add(() => Client.CoordinationV1.DeleteNamespacedLeaseAsync(name, ns));
    }

    /// <summary>A pod with a ServiceAccount of its own: the API server has no controller that makes "default".</summary>
    public async Task CreatePodAsync(string ns, string name, string? nodeName)
    {
        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, ns);
        _cleanup.Add(() => Client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns));
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                NodeName = nodeName,
                ServiceAccountName = name,
                AutomountServiceAccountToken = false,
                Containers = [new V1Container { Name = "platform", Image = "registry.invalid/platform:test" }],
            },
        }, ns);
        _cleanup.Add(() => Client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0));
    }

    public async Task CreateNodeAsync(string name)
    {
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });
        _cleanup.Add(() => Client.CoreV1.DeleteNodeAsync(name));
    }

    public async Task CreateSecretAsync(string ns, string name)
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = new Dictionary<string, string> { ["bucket"] = "etcd" } }, ns);
        _cleanup.Add(() => Client.CoreV1.DeleteNamespacedSecretAsync(name, ns));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cleanup in Enumerable.Reverse(_cleanup))
        {
            try
            {
                await cleanup();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }
        Client.Dispose();
    }
}
