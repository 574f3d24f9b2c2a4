using System.Security.Cryptography;
using System.Text;
using Conductor.Signing;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;

namespace Conductor.Interfaces.Tests.Signing;

public sealed class Ed25519PublicKeyTests
{
    [Fact]
    public async Task Verify_OpenSslSignature_Accepts()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-pubout", "-out", dir.File("pub.pem"));
        var data = RandomNumberGenerator.GetBytes(1000);
        File.WriteAllBytes(dir.File("data.bin"), data);
        await OpenSsl.RunAsync("pkeyutl", "-sign", "-inkey", dir.File("key.pem"), "-rawin",
            "-in", dir.File("data.bin"), "-out", dir.File("sig.bin"));

        var key = Ed25519PublicKey.FromPem(File.ReadAllText(dir.File("pub.pem")), "pub.pem");
        var signature = File.ReadAllBytes(dir.File("sig.bin"));

        Assert.True(key.Verify(data, signature));
        data[500] ^= 0x01;
        Assert.False(key.Verify(data, signature));
    }

    [Fact]
    public void Verify_WrongKeyOrMangledSignature_Rejects()
    {
        var signer = Ed25519PrivateKey.Generate(new DeterministicRandomSource("signer"));
        var other = Ed25519PrivateKey.Generate(new DeterministicRandomSource("other"));
        var data = Encoding.UTF8.GetBytes("data");
        var signature = signer.Sign(data);

        Assert.True(signer.PublicKey.Verify(data, signature));
        Assert.False(other.PublicKey.Verify(data, signature));
        Assert.False(signer.PublicKey.Verify(data, signature.AsSpan(0, 63)));
        signature[10] ^= 0x80;
        Assert.False(signer.PublicKey.Verify(data, signature));
    }

    [Fact]
    public async Task ExportPem_OpenSslReadsPublicKey()
    {
        using var dir = new TemporaryDirectory();
        var key = Ed25519PrivateKey.Generate().PublicKey;
        File.WriteAllText(dir.File("pub.pem"), key.ExportPem());

        var text = await OpenSsl.RunAsync("pkey", "-pubin", "-in", dir.File("pub.pem"), "-text", "-noout");

        Assert.Contains("ED25519 Public-Key", text.StdoutText, StringComparison.Ordinal);
        var hex = Convert.ToHexStringLower(key.ToRaw());
        var printed = string.Concat(text.StdoutText.Split('\n').Skip(2).Select(l => l.Trim().Replace(":", "", StringComparison.Ordinal)));
        Assert.Equal(hex, printed);
    }

    [Fact]
    public async Task KeyId_IsPrefixAndFirst16HexOfSpkiSha256()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-pubout", "-outform", "DER", "-out", dir.File("pub.der"));
        var spki = File.ReadAllBytes(dir.File("pub.der"));

        var key = Ed25519PrivateKey.FromPem(File.ReadAllText(dir.File("key.pem")));

        Assert.Equal("ed25519:" + Convert.ToHexStringLower(SHA256.HashData(spki))[..16], key.KeyId);
        Assert.Matches("^ed25519:[0-9a-f]{16}$", key.KeyId);
        Assert.Equal(spki, key.PublicKey.ToSubjectPublicKeyInfo());
    }

    [Fact]
    public void FromRaw_RoundTripsThroughPem()
    {
        var key = Ed25519PrivateKey.Generate(new DeterministicRandomSource("raw")).PublicKey;

        var copy = Ed25519PublicKey.FromRaw(key.ToRaw());

        Assert.Equal(key.KeyId, copy.KeyId);
        Assert.Equal(key.ExportPem(), Ed25519PublicKey.FromPem(copy.ExportPem()).ExportPem());
        Assert.Throws<SigningKeyException>(() => Ed25519PublicKey.FromRaw(new byte[31]));
    }

    [Fact]
    public async Task FromPem_P256PublicKey_ThrowsNamingSource()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", dir.File("ec.pem"));
        var pub = await OpenSsl.RunAsync("pkey", "-in", dir.File("ec.pem"), "-pubout");

        var error = Assert.Throws<SigningKeyException>(() => Ed25519PublicKey.FromPem(pub.StdoutText, "trusted-keys/old.pem"));

        Assert.StartsWith("trusted-keys/old.pem: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ed25519 key is required", error.Message, StringComparison.Ordinal);
    }
}
