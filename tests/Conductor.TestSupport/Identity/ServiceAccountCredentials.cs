using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Conductor.TestSupport.Kubernetes;
using k8s;

namespace Conductor.TestSupport.Identity;

/// <summary>
/// Credentials that authenticate to a test kube-apiserver as a service account and as nothing more: a client
/// certificate with CN <c>system:serviceaccount:{namespace}:{name}</c> and the service-account groups as O, signed by
/// the apiserver's client CA. RBAC then matches it by that user name, so what it may do is exactly what the
/// RoleBindings and ClusterRoleBindings naming the service account grant (no <c>system:masters</c>).
/// </summary>
public sealed record ServiceAccountCredentials(string Namespace, string Name, string KubeconfigPath)
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The user name the apiserver sees.</summary>
    public string UserName => $"system:serviceaccount:{Namespace}:{Name}";

    /// <summary>
    /// Mints credentials for service account <paramref name="name"/> in <paramref name="namespace"/> on the apiserver the
    /// kubeconfig named by <paramref name="kubeconfigVariable"/> reaches, and writes a kubeconfig for them into
    /// <paramref name="directory"/>. The CA comes from <c>pki/ca.crt</c> and <c>pki/ca.key</c> beside that kubeconfig
    /// (the layout shared/kube/kube.sh writes under its KUBE_HOME).
    /// </summary>
    public static ServiceAccountCredentials Mint(string kubeconfigVariable, string @namespace, string name, string directory)
    {
        var adminKubeconfig = Environment.GetEnvironmentVariable(kubeconfigVariable);
        if (string.IsNullOrEmpty(adminKubeconfig) || !File.Exists(adminKubeconfig))
        {
            throw new InvalidOperationException(
                $"{kubeconfigVariable}={adminKubeconfig} is not a kubeconfig file, so no service-account identity can be minted. {KubeFixture.StartHint}");
        }
        var pki = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(adminKubeconfig))!, "pki");
        var caCertificate = Path.Combine(pki, "ca.crt");
        var caKey = Path.Combine(pki, "ca.key");
        if (!File.Exists(caCertificate) || !File.Exists(caKey))
        {
            throw new InvalidOperationException(
                $"The client CA of the apiserver of {kubeconfigVariable}={adminKubeconfig} must be at {caCertificate} and {caKey} " +
                "(kube.sh keeps it in $KUBE_HOME/pki beside $KUBE_HOME/kubeconfig); without its key no service-account certificate can be signed.");
        }
        var server = KubernetesClientConfiguration.BuildConfigFromConfigFile(adminKubeconfig).Host;

        using var ca = X509Certificate2.CreateFromPemFile(caCertificate, caKey);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(SubjectOf(@namespace, name), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        var now = DateTimeOffset.UtcNow;
        // Backdated for clock skew, but never before the CA itself: on a fresh machine kube.sh made the CA moments ago.
        var notBefore = now.AddMinutes(-5) > ca.NotBefore ? now.AddMinutes(-5) : new DateTimeOffset(ca.NotBefore);
        var notAfter = now.AddDays(1) < ca.NotAfter ? now.AddDays(1) : new DateTimeOffset(ca.NotAfter);
        using var certificate = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"kubeconfig-{@namespace}-{name}");
        File.WriteAllText(path, Kubeconfig(server, File.ReadAllText(caCertificate), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new ServiceAccountCredentials(@namespace, name, path);
    }

    /// <summary>CN is the user name; each O is a group (the ones the apiserver gives a service-account token).</summary>
    private static X500DistinguishedName SubjectOf(string @namespace, string name)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:serviceaccounts");
        subject.AddOrganizationName($"system:serviceaccounts:{@namespace}");
        subject.AddOrganizationName("system:authenticated");
        subject.AddCommonName($"system:serviceaccount:{@namespace}:{name}");
        return subject.Build();
    }

    private static string Kubeconfig(string server, string caPem, string certificatePem, string keyPem) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {server}
            certificate-authority-data: {Base64(caPem)}
        users:
        - name: service-account
          user:
            client-certificate-data: {Base64(certificatePem)}
            client-key-data: {Base64(keyPem)}
        contexts:
        - name: test
          context:
            cluster: test
            user: service-account
        current-context: test

        """;

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
