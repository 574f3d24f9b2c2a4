using System.Text;
using Conductor.Compiler.Talos.Pki;
using Conductor.Compiler.Talos.Secrets;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace Conductor.Compiler.Talos.Import;

/// <summary>
/// Derives the secrets bundle from an existing init or control-plane machine config (compiler notes §1.8), so the
/// re-derived configs keep the cluster's identity, tokens and CAs. Every missing or broken field is reported.
/// </summary>
internal static class SecretsBundleImport
{
    /// <summary>The bundle, or null with one error per unusable field (each names the field path).</summary>
    public static SecretsBundle? TryExtract(ExistingMachineConfig config, List<string> errors)
    {
        var before = errors.Count;
        string Text(params string[] path)
        {
            var value = config.Text(path);
            if (value is null)
            {
                errors.Add($"{string.Join('.', path)} is missing or empty");
            }
            return value ?? "";
        }
        var clusterId = Text("cluster", "id");
        var clusterSecret = Text("cluster", "secret");
        var bootstrapToken = Text("cluster", "token");
        var trustdToken = Text("machine", "token");
        var secretbox = config.Text("cluster", "secretboxEncryptionSecret");
        if (secretbox is null)
        {
            errors.Add(config.Text("cluster", "aescbcEncryptionSecret") is null
                ? "cluster.secretboxEncryptionSecret is missing or empty"
                : "cluster.secretboxEncryptionSecret is missing: the config uses aescbc encryption, which Talos replaced " +
                  "with secretbox in 1.3; upgrade the cluster's config first");
        }
        var osCa = Authority(config, errors, "machine", "ca");
        var kubernetesCa = Authority(config, errors, "cluster", "ca");
        var aggregatorCa = Authority(config, errors, "cluster", "aggregatorCA");
        var etcdCa = Authority(config, errors, "cluster", "etcd", "ca");
        var serviceAccount = DecodedPem(config, errors, "cluster", "serviceAccount", "key");
        if (serviceAccount is not null)
        {
            try
            {
                PemText.ReadPrivateKey(serviceAccount);
            }
            catch (FormatException e)
            {
                errors.Add($"cluster.serviceAccount.key: {e.Message}");
            }
        }
        if (errors.Count > before)
        {
            if (config.MachineType == "worker")
            {
                errors.Add("this is a worker config, which holds no cluster CA keys; list an init or controlplane node's config instead");
            }
            return null;
        }
        return new SecretsBundle
        {
            ClusterId = clusterId,
            ClusterSecret = clusterSecret,
            BootstrapToken = bootstrapToken,
            TrustdToken = trustdToken,
            SecretboxEncryptionSecret = secretbox!,
            OsCa = osCa!,
            KubernetesCa = kubernetesCa!,
            AggregatorCa = aggregatorCa!,
            EtcdCa = etcdCa!,
            ServiceAccountKeyPem = serviceAccount!,
        };
    }

    private static CertificateAuthority? Authority(ExistingMachineConfig config, List<string> errors, params string[] path)
    {
        var where = string.Join('.', path);
        var certificatePem = DecodedPem(config, errors, [.. path, "crt"]);
        var keyPem = DecodedPem(config, errors, [.. path, "key"]);
        if (certificatePem is null || keyPem is null)
        {
            return null;
        }
        X509Certificate certificate;
        AsymmetricKeyParameter key;
        try
        {
            certificate = PemText.ReadCertificate(certificatePem);
        }
        catch (FormatException e)
        {
            errors.Add($"{where}.crt: {e.Message}");
            return null;
        }
        try
        {
            key = PemText.ReadPrivateKey(keyPem);
        }
        catch (FormatException e)
        {
            errors.Add($"{where}.key: {e.Message}");
            return null;
        }
        if (!Matches(certificate, key))
        {
            errors.Add($"{where}: the key does not belong to the certificate");
            return null;
        }
        return new CertificateAuthority(certificate, key, certificatePem, keyPem);
    }

    private static string? DecodedPem(ExistingMachineConfig config, List<string> errors, params string[] path)
    {
        var where = string.Join('.', path);
        if (config.Text(path) is not { } encoded)
        {
            errors.Add($"{where} is missing or empty");
            return null;
        }
        try
        {
            return Encoding.ASCII.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            errors.Add($"{where} is not base64-encoded PEM");
            return null;
        }
    }

    private static bool Matches(X509Certificate certificate, AsymmetricKeyParameter key)
    {
        var expected = certificate.GetPublicKey();
        return key switch
        {
            Ed25519PrivateKeyParameters ed => expected is Ed25519PublicKeyParameters p && p.GetEncoded().AsSpan().SequenceEqual(ed.GeneratePublicKey().GetEncoded()),
            ECPrivateKeyParameters ec => expected is ECPublicKeyParameters q && q.Q.Equals(ec.Parameters.G.Multiply(ec.D).Normalize()),
            RsaPrivateCrtKeyParameters rsa => expected is RsaKeyParameters r && r.Modulus.Equals(rsa.Modulus),
            _ => false,
        };
    }
}
