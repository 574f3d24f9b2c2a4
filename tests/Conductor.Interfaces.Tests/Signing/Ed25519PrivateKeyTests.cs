using System.Text;
using Conductor.Signing;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;

namespace Conductor.Interfaces.Tests.Signing;

public sealed class Ed25519PrivateKeyTests
{
    [Fact]
    public async Task FromPem_OpenSslKey_SignatureVerifiesWithOpenSsl()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-pubout", "-out", dir.File("pub.pem"));
        var data = Encoding.UTF8.GetBytes("spec bytes to sign\n");
        File.WriteAllBytes(dir.File("data.bin"), data);

        var key = Ed25519PrivateKey.FromPem(File.ReadAllText(dir.File("key.pem")), "key.pem");
        File.WriteAllBytes(dir.File("sig.bin"), key.Sign(data));

        var verify = await OpenSsl.RunAsync("pkeyutl", "-verify", "-pubin", "-inkey", dir.File("pub.pem"), "-rawin",
            "-in", dir.File("data.bin"), "-sigfile", dir.File("sig.bin"));
        Assert.Contains("Signature Verified Successfully", verify.StdoutText, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(dir.File("pub.pem")), key.PublicKey.ExportPem());
    }

    [Fact]
    public async Task Sign_TamperedData_OpenSslRejects()
    {
        using var dir = new TemporaryDirectory();
        var key = Ed25519PrivateKey.Generate(new DeterministicRandomSource("tamper"));
        File.WriteAllText(dir.File("pub.pem"), key.PublicKey.ExportPem());
        var data = Encoding.UTF8.GetBytes("{\"replicas\":3}");
        File.WriteAllBytes(dir.File("sig.bin"), key.Sign(data));
        data[^2] = (byte)'4';
        File.WriteAllBytes(dir.File("data.bin"), data);

        var verify = await OpenSsl.TryAsync("pkeyutl", "-verify", "-pubin", "-inkey", dir.File("pub.pem"), "-rawin",
            "-in", dir.File("data.bin"), "-sigfile", dir.File("sig.bin"));

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("Signature Verification Failure", verify.StdoutText + verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportPem_GeneratedKey_OpenSslReadsItAndDerivesSamePublicKey()
    {
        using var dir = new TemporaryDirectory();
        var key = Ed25519PrivateKey.Generate();
        File.WriteAllText(dir.File("key.pem"), key.ExportPem());

        var text = await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-text", "-noout");
        var pub = await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-pubout");

        Assert.Contains("ED25519 Private-Key", text.StdoutText, StringComparison.Ordinal);
        Assert.Equal(key.PublicKey.ExportPem(), pub.StdoutText);
    }

    [Fact]
    public async Task ExportPem_OpenSslKey_RoundTripsToIdenticalPem()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        var original = File.ReadAllText(dir.File("key.pem"));

        Assert.Equal(original, Ed25519PrivateKey.FromPem(original).ExportPem());
    }

    [Fact]
    public async Task FromPem_TalosLabel_ReadsSameKey()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        var openssl = File.ReadAllText(dir.File("key.pem"));
        var talos = openssl.Replace("PRIVATE KEY", "ED25519 PRIVATE KEY", StringComparison.Ordinal);

        var key = Ed25519PrivateKey.FromPem(talos, "talos key");

        Assert.Equal(Ed25519PrivateKey.FromPem(openssl).KeyId, key.KeyId);
    }

    [Fact]
    public void Generate_SameRandomSource_SameKey()
    {
        var a = Ed25519PrivateKey.Generate(new DeterministicRandomSource("seed"));
        var b = Ed25519PrivateKey.Generate(new DeterministicRandomSource("seed"));
        var c = Ed25519PrivateKey.Generate(new DeterministicRandomSource("other"));

        Assert.Equal(a.ExportPem(), b.ExportPem());
        Assert.NotEqual(a.KeyId, c.KeyId);
    }

    [Fact]
    public async Task FromPem_X25519Key_ThrowsNamingSourceAndAlgorithmRule()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "x25519", "-out", dir.File("key.pem"));

        var error = Assert.Throws<SigningKeyException>(
            () => Ed25519PrivateKey.FromPem(File.ReadAllText(dir.File("key.pem")), "secret ont-system/signing-key"));

        Assert.Contains("secret ont-system/signing-key", error.Message, StringComparison.Ordinal);
        Assert.Contains("an Ed25519 key is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a pem at all", "no PEM block")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n", "only 'PUBLIC KEY'")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a valid PKCS#8 key")]
    public void FromPem_WrongInput_ThrowsClearError(string pem, string expected)
    {
        var error = Assert.Throws<SigningKeyException>(() => Ed25519PrivateKey.FromPem(pem, "key.pem"));

        Assert.StartsWith("key.pem: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
