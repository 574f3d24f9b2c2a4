using k8s;
using Xunit;

namespace Conductor.TestSupport.Kubernetes;

/// <summary>
/// A client for the real management kube-apiserver named by <c>KUBECONFIG</c>, with the Seam CRDs installed.
/// Use it as a collection fixture in a collection with parallelization disabled. When the server is not
/// configured or does not answer, initialisation fails with the commands that start it; tests never skip.
/// </summary>
public sealed class KubeFixture : IAsyncLifetime
{
    public const string KubeconfigVariable = "KUBECONFIG";
    public const string TenantKubeconfigVariable = "TENANT_KUBECONFIG";
    public const string StartHint = "Start the test servers with `scripts/test-servers.sh up`, then `source .ci/out/test-env.sh` before `dotnet test`.";

    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(15);
    private IKubernetes? _client;

    public IKubernetes Client => _client ?? throw new InvalidOperationException("KubeFixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        _client = await ConnectAsync(KubeconfigVariable, CancellationToken.None);
        await CrdInstaller.EnsureInstalledAsync(_client, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Builds a client from the kubeconfig file named by <paramref name="variable"/> and checks the server answers.</summary>
    public static async Task<IKubernetes> ConnectAsync(string variable, CancellationToken cancellationToken)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException($"{variable} is not set, and this test needs the real kube-apiserver. {StartHint}");
        }
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{variable}={path} does not exist, so the kube-apiserver is not running. {StartHint}");
        }

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var client = new k8s.Kubernetes(configuration);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReachTimeout);
        try
        {
            await client.CoreV1.ListNamespaceAsync(limit: 1, cancellationToken: timeout.Token);
            return client;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new InvalidOperationException(
                $"The kube-apiserver of {variable}={path} ({configuration.Host}) did not answer: {ex.Message}. {StartHint}", ex);
        }
    }
}
