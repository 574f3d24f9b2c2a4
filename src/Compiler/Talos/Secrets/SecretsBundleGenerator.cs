using Conductor.Compiler.Talos.Pki;
using Conductor.Randomness;

namespace Conductor.Compiler.Talos.Secrets;

/// <summary>
/// Generates a fresh secrets bundle with the algorithms Talos uses (compiler notes §1.6): Ed25519 OS CA, ECDSA P-256
/// Kubernetes, aggregator and etcd CAs, all valid ten years from now; an RSA service-account key after contract 1.6,
/// ECDSA P-256 before.
/// </summary>
/// <remarks>
/// Talos makes the RSA key 4096 bits. Its prime search alone takes 0.3–3 s, which breaks the one-second budget for a
/// bootstrap run, so we use 2048 bits (kubeadm's size for sa.key): the same RS256 algorithm for every token consumer.
/// </remarks>
internal static class SecretsBundleGenerator
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);
    public const int ServiceAccountRsaBits = 2048;

    public static SecretsBundle Generate(TalosVersion version, TimeProvider time, IRandomSource random, IRsaKeyGenerator rsa)
    {
        // The RSA prime search dominates the run; it overlaps with everything else and uses no shared randomness.
        var serviceAccount = version.RsaServiceAccountKey
            ? Task.Run(() => rsa.GeneratePkcs1Pem(ServiceAccountRsaBits))
            : null;
        var now = time.GetUtcNow();
        var bundle = new SecretsBundle
        {
            ClusterId = TalosTokens.Base64(random),
            ClusterSecret = TalosTokens.Base64(random),
            BootstrapToken = TalosTokens.Token(random),
            TrustdToken = TalosTokens.Token(random),
            SecretboxEncryptionSecret = TalosTokens.Base64(random),
            EtcdCa = CertificateIssuer.CreateAuthority(KeyAlgorithm.EcdsaP256, new(null, "etcd", now, CaValidity), random),
            KubernetesCa = CertificateIssuer.CreateAuthority(KeyAlgorithm.EcdsaP256, new(null, "kubernetes", now, CaValidity), random),
            AggregatorCa = CertificateIssuer.CreateAuthority(KeyAlgorithm.EcdsaP256, new("front-proxy", null, now, CaValidity), random),
            OsCa = CertificateIssuer.CreateAuthority(KeyAlgorithm.Ed25519, new(null, "talos", now, CaValidity), random),
            ServiceAccountKeyPem = serviceAccount is null
                ? PemText.OfPrivateKey(KeyPairs.Generate(KeyAlgorithm.EcdsaP256, random).Private)
                : "",
        };
        return serviceAccount is null ? bundle : bundle with { ServiceAccountKeyPem = serviceAccount.GetAwaiter().GetResult() };
    }
}
