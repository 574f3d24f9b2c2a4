using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Signing;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;

namespace Conductor.Interfaces.Tests.Signing;

public sealed class SpecVerifierTests
{
    private static readonly Ed25519PrivateKey Current = Ed25519PrivateKey.Generate(new DeterministicRandomSource("current"));
    private static readonly Ed25519PrivateKey Previous = Ed25519PrivateKey.Generate(new DeterministicRandomSource("previous"));
    private static readonly Ed25519PrivateKey Stranger = Ed25519PrivateKey.Generate(new DeterministicRandomSource("stranger"));

    private static JsonNode Spec() => JsonNode.Parse(
        """{"packRef":"cilium","version":"1.16.3","targets":["ccs-dev","ccs-prod"],"values":{"replicas":3,"ratio":0.5}}""")!;

    private static SpecVerifier Verifier() => new(new TrustedKeySet([Current.PublicKey, Previous.PublicKey]));

    [Fact]
    public void Verify_SignedSpecWithOtherKeyOrderAndWhitespace_IsValid()
    {
        var signature = new SpecSigner(Current).Sign(Spec());
        using var reordered = JsonDocument.Parse(
            """ { "values": { "ratio": 0.50, "replicas": 3 }, "version": "1.16.3", "targets": ["ccs-dev", "ccs-prod"], "packRef": "cilium" } """);

        var result = Verifier().Verify(reordered.RootElement, signature.KeyId, signature.Signature);

        Assert.Equal(SpecVerificationStatus.Valid, result.Status);
        Assert.True(result.IsValid);
        Assert.Equal(Current.KeyId, signature.KeyId);
    }

    [Fact]
    public void Verify_RotatedKeys_BothTrustedKeysVerify()
    {
        var verifier = Verifier();

        Assert.True(verifier.Verify(Spec(), new SpecSigner(Current).Sign(Spec())).IsValid);
        Assert.True(verifier.Verify(Spec(), new SpecSigner(Previous).Sign(Spec())).IsValid);
    }

    [Fact]
    public void Verify_TamperedSpec_IsBadSignature()
    {
        var signature = new SpecSigner(Current).Sign(Spec());
        var tampered = Spec();
        tampered["values"]!["replicas"] = 4;

        var result = Verifier().Verify(tampered, signature);

        Assert.Equal(SpecVerificationStatus.BadSignature, result.Status);
        Assert.Contains(Current.KeyId, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UntrustedSigner_IsUnknownKeyId()
    {
        var signature = new SpecSigner(Stranger).Sign(Spec());

        var result = Verifier().Verify(Spec(), signature);

        Assert.Equal(SpecVerificationStatus.UnknownKeyId, result.Status);
        Assert.Contains(Stranger.KeyId, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_StrangerClaimsTrustedKeyId_IsBadSignature()
    {
        var forged = new SpecSignature(Current.KeyId, new SpecSigner(Stranger).Sign(Spec()).Signature);

        Assert.Equal(SpecVerificationStatus.BadSignature, Verifier().Verify(Spec(), forged).Status);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("QUJD")]
    public void Verify_MalformedSignature_IsMalformedSignature(string signature)
    {
        var result = Verifier().Verify(Spec(), Current.KeyId, signature);

        Assert.Equal(SpecVerificationStatus.MalformedSignature, result.Status);
    }

    [Theory]
    [InlineData(null, "sig")]
    [InlineData("", "sig")]
    [InlineData("ed25519:0011223344556677", null)]
    [InlineData("ed25519:0011223344556677", " ")]
    public void Verify_MissingKeyIdOrSignature_IsMissing(string? keyId, string? signature)
    {
        Assert.Equal(SpecVerificationStatus.Missing, Verifier().Verify(Spec(), keyId, signature).Status);
    }

    [Fact]
    public void Verify_SpecWithLoneSurrogate_IsMalformedSpec()
    {
        var signature = new SpecSigner(Current).Sign(Spec());
        var spec = new JsonObject { ["name"] = "bad\udc00" };

        Assert.Equal(SpecVerificationStatus.MalformedSpec, Verifier().Verify(spec, signature).Status);
    }

    [Fact]
    public async Task Sign_CanonicalBytes_OpenSslVerifiesSignature()
    {
        using var dir = new TemporaryDirectory();
        var signature = new SpecSigner(Current).Sign(Spec());
        File.WriteAllBytes(dir.File("spec.json"), JsonCanonicalizer.Canonicalize(Spec()));
        File.WriteAllBytes(dir.File("sig.bin"), Convert.FromBase64String(signature.Signature));
        File.WriteAllText(dir.File("pub.pem"), Current.PublicKey.ExportPem());

        var verify = await OpenSsl.RunAsync("pkeyutl", "-verify", "-pubin", "-inkey", dir.File("pub.pem"), "-rawin",
            "-in", dir.File("spec.json"), "-sigfile", dir.File("sig.bin"));

        Assert.Contains("Signature Verified Successfully", verify.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OpenSslSignatureOverCanonicalSpec_IsValid()
    {
        using var dir = new TemporaryDirectory();
        await OpenSsl.RunAsync("genpkey", "-algorithm", "ed25519", "-out", dir.File("key.pem"));
        await OpenSsl.RunAsync("pkey", "-in", dir.File("key.pem"), "-pubout", "-out", dir.File("pub.pem"));
        File.WriteAllBytes(dir.File("spec.json"), JsonCanonicalizer.Canonicalize(Spec()));
        await OpenSsl.RunAsync("pkeyutl", "-sign", "-inkey", dir.File("key.pem"), "-rawin",
            "-in", dir.File("spec.json"), "-out", dir.File("sig.bin"));
        var publicKey = Ed25519PublicKey.FromPem(File.ReadAllText(dir.File("pub.pem")));
        var signature = Convert.ToBase64String(File.ReadAllBytes(dir.File("sig.bin")));

        var result = new SpecVerifier(new TrustedKeySet([publicKey])).Verify(Spec(), publicKey.KeyId, signature);

        Assert.Equal(SpecVerificationStatus.Valid, result.Status);
    }
}
