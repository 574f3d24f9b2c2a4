using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Conductor.Compiler.Tests.Bootstrap;
using Conductor.Compiler.Tests.Commands;
using Conductor.TestSupport;
using Conductor.TestSupport.Processes;

namespace Conductor.Compiler.Tests.Talos;

/// <summary>The generated PKI checked by the real openssl and by .NET's own X.509 stack.</summary>
public sealed class TalosPkiTests
{
    private static string Pem(JsonNode? base64) => Encoding.ASCII.GetString(Convert.FromBase64String((string)base64!));

    private static async Task<(JsonObject Config, JsonObject Talosconfig, TemporaryDirectory Dir)> BootstrapAsync()
    {
        var dir = new TemporaryDirectory();
        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.FiveNodeManagement, ["--plaintext"]);
        Assert.Equal(0, result.ExitCode);
        var talosconfig = BootstrapTests.Yaml((string)BootstrapTests.Yaml(result.Read("seam-mc-ccs-mgmt-talosconfig.yaml"))["stringData"]!["talosconfig"]!);
        return (BootstrapTests.MachineConfig(result, "seam-mc-ccs-mgmt-cp1.yaml"), talosconfig, dir);
    }

    private static async Task<string> OpensslAsync(string directory, params string[] arguments)
    {
        var result = await ExternalTool.RunAsync("openssl", "openssl", arguments, workingDirectory: directory);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {result.Stderr}");
        return result.StdoutText;
    }

    private static async Task<string> TextAsync(TemporaryDirectory dir, string name, string pem)
    {
        await File.WriteAllTextAsync(dir.File(name), pem, TestContext.Current.CancellationToken);
        return await OpensslAsync(dir.Path, "x509", "-in", name, "-noout", "-text");
    }

    [Fact]
    public async Task Bootstrap_CertificateAuthorities_HaveTalosAlgorithmsSubjectsUsagesAndTenYears()
    {
        var (config, _, dir) = await BootstrapAsync();
        using var _ = dir;

        var os = await TextAsync(dir, "os.crt", Pem(config["machine"]!["ca"]!["crt"]));
        var kubernetes = await TextAsync(dir, "k8s.crt", Pem(config["cluster"]!["ca"]!["crt"]));
        var aggregator = await TextAsync(dir, "agg.crt", Pem(config["cluster"]!["aggregatorCA"]!["crt"]));
        var etcd = await TextAsync(dir, "etcd.crt", Pem(config["cluster"]!["etcd"]!["ca"]!["crt"]));

        Assert.Contains("Public Key Algorithm: ED25519", os, StringComparison.Ordinal);
        Assert.Contains("Subject: O = talos", os, StringComparison.Ordinal);
        foreach (var (text, subject) in new[] { (kubernetes, "Subject: O = kubernetes"), (aggregator, "Subject: CN = front-proxy"), (etcd, "Subject: O = etcd") })
        {
            Assert.Contains("Public Key Algorithm: id-ecPublicKey", text, StringComparison.Ordinal);
            Assert.Contains("NIST CURVE: P-256", text, StringComparison.Ordinal);
            Assert.Contains("Signature Algorithm: ecdsa-with-SHA256", text, StringComparison.Ordinal);
            Assert.Contains(subject, text, StringComparison.Ordinal);
        }
        foreach (var text in new[] { os, kubernetes, aggregator, etcd })
        {
            Assert.Contains("CA:TRUE", text, StringComparison.Ordinal);
            Assert.Contains("Digital Signature, Certificate Sign, CRL Sign", text, StringComparison.Ordinal);
            Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text, StringComparison.Ordinal);
            Assert.Contains("Not Before: Jan  2 03:04:05 2026 GMT", text, StringComparison.Ordinal);
            Assert.Contains("Not After : Dec 31 03:04:05 2035 GMT", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bootstrap_CertificateAuthorities_AreSelfSignedAndVerifyWithOpenssl()
    {
        var (config, _, dir) = await BootstrapAsync();
        using var _ = dir;
        var cas = new Dictionary<string, JsonNode?>
        {
            ["os"] = config["machine"]!["ca"]!["crt"],
            ["k8s"] = config["cluster"]!["ca"]!["crt"],
            ["agg"] = config["cluster"]!["aggregatorCA"]!["crt"],
            ["etcd"] = config["cluster"]!["etcd"]!["ca"]!["crt"],
        };

        foreach (var (name, crt) in cas)
        {
            await File.WriteAllTextAsync(dir.File($"{name}.crt"), Pem(crt), TestContext.Current.CancellationToken);
            var verify = await OpensslAsync(dir.Path, "verify", "-CAfile", $"{name}.crt", $"{name}.crt");
            Assert.Contains($"{name}.crt: OK", verify, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bootstrap_CaKeys_MatchTheirCertificates()
    {
        var (config, _, dir) = await BootstrapAsync();
        using var _ = dir;
        var pairs = new[] { (config["cluster"]!["ca"]!, "k8s"), (config["cluster"]!["etcd"]!["ca"]!, "etcd"), (config["cluster"]!["aggregatorCA"]!, "agg") };

        foreach (var (pair, name) in pairs)
        {
            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", Pem(pair["key"]), StringComparison.Ordinal);
            await File.WriteAllTextAsync(dir.File($"{name}.crt"), Pem(pair["crt"]), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(dir.File($"{name}.key"), Pem(pair["key"]), TestContext.Current.CancellationToken);
            var fromCert = await OpensslAsync(dir.Path, "x509", "-in", $"{name}.crt", "-noout", "-pubkey");
            var fromKey = await OpensslAsync(dir.Path, "pkey", "-in", $"{name}.key", "-pubout");
            Assert.Equal(fromCert, fromKey);
        }
        Assert.StartsWith("-----BEGIN ED25519 PRIVATE KEY-----", Pem(config["machine"]!["ca"]!["key"]), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", Pem(config["cluster"]!["serviceAccount"]!["key"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_Tokens_HaveTalosFormats()
    {
        var (config, _, dir) = await BootstrapAsync();
        using var _ = dir;

        Assert.Matches("^[a-z0-9]{6}\\.[a-z0-9]{16}$", (string)config["machine"]!["token"]!);
        Assert.Matches("^[a-z0-9]{6}\\.[a-z0-9]{16}$", (string)config["cluster"]!["token"]!);
        Assert.Equal(32, Convert.FromBase64String((string)config["cluster"]!["id"]!).Length);
        Assert.Equal(32, Convert.FromBase64String((string)config["cluster"]!["secret"]!).Length);
        Assert.Equal(32, Convert.FromBase64String((string)config["cluster"]!["secretboxEncryptionSecret"]!).Length);
    }

    [Fact]
    public async Task Bootstrap_TalosconfigClientCertificate_VerifiesAgainstOsCaWithOpenssl()
    {
        var (config, talosconfig, dir) = await BootstrapAsync();
        using var _ = dir;
        var context = talosconfig["contexts"]!["ccs-mgmt"]!;
        await File.WriteAllTextAsync(dir.File("ca.crt"), Pem(context["ca"]), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("admin.crt"), Pem(context["crt"]), TestContext.Current.CancellationToken);

        var verify = await OpensslAsync(dir.Path, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "admin.crt");
        var text = await OpensslAsync(dir.Path, "x509", "-in", "admin.crt", "-noout", "-text");

        Assert.Contains("admin.crt: OK", verify, StringComparison.Ordinal);
        Assert.Equal(Pem(config["machine"]!["ca"]!["crt"]), Pem(context["ca"]));
        Assert.Contains("Subject: O = os:admin, CN = admin", text, StringComparison.Ordinal);
        Assert.Contains("Issuer: O = talos", text, StringComparison.Ordinal);
        Assert.Contains("Signature Algorithm: ED25519", text, StringComparison.Ordinal);
        Assert.Contains("NIST CURVE: P-256", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Client Authentication", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
        Assert.Contains("Not After : Jan  2 03:04:05 2027 GMT", text, StringComparison.Ordinal);
        Assert.Equal(["10.20.0.11", "10.20.0.12", "10.20.0.13"], context["endpoints"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("ccs-mgmt", (string?)talosconfig["context"]);
    }

    [Fact]
    public async Task Bootstrap_TalosconfigClientCertificate_LoadsInDotNetWithItsKeyAndChainsToOsCa()
    {
        var (_, talosconfig, dir) = await BootstrapAsync();
        using var _ = dir;
        var context = talosconfig["contexts"]!["ccs-mgmt"]!;

        using var client = X509Certificate2.CreateFromPem(Pem(context["crt"]), Pem(context["key"]));
        using var ca = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(Pem(context["ca"])));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = BootstrapHarness.Now.UtcDateTime.AddDays(1);

        Assert.True(client.HasPrivateKey);
        using var key = client.GetECDsaPrivateKey();
        Assert.NotNull(key);
        byte[] data = [1, 2, 3];
        Assert.True(key.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
        Assert.True(chain.Build(client), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }
}
