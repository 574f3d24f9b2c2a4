using System.Net;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Tests.Custody;

/// <summary>
/// A namespace <c>conductor-test-{guid}</c> on the tenant kube-apiserver (<c>TENANT_KUBECONFIG</c>), standing in for the
/// tenant's ont-system, where receipts are written. Installs the Seam CRDs there once; deleted after the class.
/// </summary>
public sealed class TenantReceiptNamespace : IAsyncLifetime
{
    private IKubernetes? _client;

    public string Name { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public IKubernetes Client => _client ?? throw new InvalidOperationException("TenantReceiptNamespace is not initialised.");

    public async ValueTask InitializeAsync()
    {
        _client = await KubeFixture.ConnectAsync(KubeFixture.TenantKubeconfigVariable, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(_client, CancellationToken.None);
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }
        try
        {
            await _client.CoreV1.DeleteNamespaceAsync(Name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        _client.Dispose();
    }
}
