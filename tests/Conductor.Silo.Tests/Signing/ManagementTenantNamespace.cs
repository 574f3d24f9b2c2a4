using System.Net;
using Conductor.Signing;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Tests.Signing;

/// <summary>
/// A made-up tenant cluster <c>ct{guid}</c> and its namespace <c>seam-tenant-{cluster}</c> on the management
/// kube-apiserver, where its PackInstalled, PackDelivery, PermissionSnapshot and artifact Secrets live. Deleted after.
/// </summary>
public sealed class ManagementTenantNamespace(KubeFixture kube) : IAsyncLifetime
{
    public string Cluster { get; } = $"ct{Guid.NewGuid():N}"[..14];

    public string Name => SignedArtifactSecret.TenantNamespace(Cluster);

    public IKubernetes Client => kube.Client;

    public async ValueTask InitializeAsync() =>
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await kube.Client.CoreV1.DeleteNamespaceAsync(Name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
