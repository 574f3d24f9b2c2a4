using k8s;

namespace Conductor.Silo.Kubernetes;

/// <summary>
/// The management cluster's API as a tenant agent reaches it (<c>MGMT_KUBECONFIG_PATH</c>): one client, shared by the
/// custody pull loops and the drift loops, built the same way as the agent's own (<see cref="KubernetesAccess.Client"/>).
/// Built on first use, so a tenant without the variable never reads a kubeconfig or opens a connection.
/// </summary>
public sealed class ManagementCluster : IDisposable
{
    public const string KubeconfigEnvVar = "MGMT_KUBECONFIG_PATH";

    private readonly Lazy<IKubernetes> _client;

    /// <summary>Reads <paramref name="kubeconfigPath"/> on first use of <see cref="Client"/>.</summary>
    public ManagementCluster(string? kubeconfigPath)
    {
        KubeconfigPath = string.IsNullOrWhiteSpace(kubeconfigPath) ? null : kubeconfigPath;
        _client = new Lazy<IKubernetes>(() => KubernetesAccess.Client(KubeconfigFile.Load(KubeconfigPath
            ?? throw new InvalidOperationException($"{KubeconfigEnvVar} is not set: set it to the management kubeconfig to reach the management cluster."))));
    }

    /// <summary>An already built client (a test's, or one a caller owns the configuration of).</summary>
    public ManagementCluster(IKubernetes client)
    {
        _client = new Lazy<IKubernetes>(client);
    }

    /// <summary>The kubeconfig this agent reaches management through; null when <c>MGMT_KUBECONFIG_PATH</c> is unset.</summary>
    public string? KubeconfigPath { get; }

    public IKubernetes Client => _client.Value;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
