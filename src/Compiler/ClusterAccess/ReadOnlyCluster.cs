using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Compiler.ClusterAccess;

/// <summary>
/// The compiler's only view of a cluster: GETs of single objects, never a write (the compiler never applies
/// anything). Each failure becomes a <see cref="ClusterAccessException"/> that names the object and the fix.
/// </summary>
internal sealed class ReadOnlyCluster : IDisposable
{
    private readonly Kubernetes _client;
    private readonly string _server;
    private readonly KubeconfigLocation _location;

    private ReadOnlyCluster(Kubernetes client, string server, KubeconfigLocation location)
    {
        _client = client;
        _server = server;
        _location = location;
    }

    public static ReadOnlyCluster Connect(KubeconfigLocation location, TimeSpan timeout)
    {
        if (!File.Exists(location.Path))
        {
            throw new ClusterAccessException(
                $"kubeconfig '{location.Path}' (from {location.Source}) does not exist; pass --kubeconfig or set $KUBECONFIG");
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(location.Path);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException or FormatException or YamlDotNet.Core.YamlException)
        {
            throw new ClusterAccessException($"kubeconfig '{location.Path}' (from {location.Source}) cannot be used: {e.Message}", e);
        }
        configuration.HttpClientTimeout = timeout;
        return new ReadOnlyCluster(new Kubernetes(configuration), configuration.Host, location);
    }

    public Task<V1Lease?> LeaseAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync($"Lease {ns}/{name}", () => _client.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Pod?> PodAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync($"Pod {ns}/{name}", () => _client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Secret?> SecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync($"Secret {ns}/{name}", () => _client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Node?> NodeAsync(string name, CancellationToken cancellationToken) =>
        GetAsync($"Node {name}", () => _client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken));

    /// <summary>The object, or null when the API server says 404; every other failure throws.</summary>
    private async Task<T?> GetAsync<T>(string what, Func<Task<T>> get)
        where T : class
    {
        try
        {
            return await get();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ClusterAccessException(
                $"the Kubernetes API at {_server} refused to let the kubeconfig's user ({_location.Path}) read {what} " +
                $"({(int)e.Response.StatusCode}); use a kubeconfig with read access", e);
        }
        catch (HttpOperationException e)
        {
            throw new ClusterAccessException(
                $"reading {what} from {_server} failed with HTTP {(int)e.Response.StatusCode}: {e.Response.Content}", e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            throw new ClusterAccessException(
                $"cannot reach the Kubernetes API at {_server} (kubeconfig '{_location.Path}' from {_location.Source}) " +
                $"while reading {what}: {Innermost(e).Message}. Check that the cluster is up and the kubeconfig points at it", e);
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    public void Dispose() => _client.Dispose();
}
