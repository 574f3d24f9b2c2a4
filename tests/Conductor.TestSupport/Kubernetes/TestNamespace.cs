using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace Conductor.TestSupport.Kubernetes;

/// <summary>
/// A namespace <c>conductor-test-{guid}</c> of its own for one test class (use as a class fixture), deleted when
/// the class is done. The test server runs no namespace controller, so a deleted namespace stays Terminating.
/// </summary>
public sealed class TestNamespace(KubeFixture kube) : IAsyncLifetime
{
    public const string TestLabel = "conductor.ontai.dev/test";

    public string Name { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public IKubernetes Client => kube.Client;

    public async ValueTask InitializeAsync() =>
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = new Dictionary<string, string> { [TestLabel] = "true" } },
        });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await kube.Client.CoreV1.DeleteNamespaceAsync(Name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: nothing to clean up.
        }
    }
}
