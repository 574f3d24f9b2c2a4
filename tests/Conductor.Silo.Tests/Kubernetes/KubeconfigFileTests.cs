using k8s;
using System.Text;
using Conductor.Silo.Kubernetes;
using Conductor.TestSupport;

namespace Conductor.Silo.Tests.Kubernetes;

/// <summary>The agent's own kubeconfig reader, against the real test kube-apiserver.</summary>
[Collection(KubeCollection.Name)]
public sealed class KubeconfigFileTests
{
    [Fact]
    public async Task Load_TestServerKubeconfig_ClientListsNamespaces()
    {
        using var client = KubernetesAccess.Client(KubeconfigFile.Load(TestKubeconfig()));

        var namespaces = await client.CoreV1.ListNamespaceAsync(limit: 1, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(namespaces.Items);
    }

    [Fact]
    public async Task Load_RelativeCertificateFiles_ResolvedBesideTheKubeconfig()
    {
        var server = KubeconfigFile.Load(TestKubeconfig());
        using var directory = new TemporaryDirectory();
        Directory.CreateDirectory(directory.File("pki"));
        await File.WriteAllTextAsync(directory.File("pki", "ca.crt"), server.SslCaCerts[0].ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(directory.File("pki", "client.crt"), Convert.FromBase64String(server.ClientCertificateData!), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(directory.File("pki", "client.key"), Convert.FromBase64String(server.ClientCertificateKeyData!), TestContext.Current.CancellationToken);
        var kubeconfig = directory.File("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: files
              cluster:
                server: {server.Host}
                certificate-authority: pki/ca.crt
            users:
            - name: files
              user:
                client-certificate: pki/client.crt
                client-key: pki/client.key
            contexts:
            - name: files
              context: {"{"}cluster: files, user: files{"}"}
            current-context: files
            """, TestContext.Current.CancellationToken);
        // Read from another working directory: the paths must resolve against the kubeconfig's folder, not the process's.
        using var client = KubernetesAccess.Client(KubeconfigFile.Load(kubeconfig));

        var namespaces = await client.CoreV1.ListNamespaceAsync(limit: 1, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(namespaces.Items);
    }

    [Fact]
    public void Load_TwoContexts_CurrentContextChoosesTheServer()
    {
        using var directory = new TemporaryDirectory();
        var kubeconfig = directory.File("kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: a
              cluster: {server: "https://a.example:6443", insecure-skip-tls-verify: true}
            - name: b
              cluster: {server: "https://b.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {token: secret-token}
            contexts:
            - name: ctx-a
              context: {cluster: a, user: u, namespace: team-a}
            - name: ctx-b
              context: {cluster: b, user: u, namespace: team-b}
            current-context: ctx-b
            preferences: {colors: true}
            """, Encoding.UTF8);

        var configuration = KubeconfigFile.Load(kubeconfig);

        Assert.Equal("https://b.example:6443", configuration.Host);
        Assert.Equal("team-b", configuration.Namespace);
        Assert.Equal("secret-token", configuration.AccessToken);
    }

    private static string TestKubeconfig()
    {
        var path = Environment.GetEnvironmentVariable("KUBECONFIG");
        Assert.False(string.IsNullOrEmpty(path), "KUBECONFIG must name the test kube-apiserver's kubeconfig: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");
        return path;
    }
}
