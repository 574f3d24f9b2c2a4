using Conductor.Signing;

namespace Conductor.Interfaces.Tests.Signing;

public sealed class SignatureDigestTests
{
    [Fact]
    public void Of_KnownText_IsLowercaseHexSha256OfItsUtf8()
    {
        // FIPS 180-2 test vector for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SignatureDigest.Of("abc"));
    }

    [Fact]
    public void Of_SameSpecSignedByAnotherKey_Differs()
    {
        var canonical = "{\"version\":\"1\"}"u8.ToArray();
        var first = Ed25519PrivateKey.Generate();
        var rotated = Ed25519PrivateKey.Generate();
        var byFirst = SignatureAnnotations.Format(new SpecSignature(first.KeyId, Convert.ToBase64String(first.Sign(canonical))));
        var byRotated = SignatureAnnotations.Format(new SpecSignature(rotated.KeyId, Convert.ToBase64String(rotated.Sign(canonical))));

        Assert.Equal(SignatureDigest.Of(byFirst), SignatureDigest.Of(byFirst));
        Assert.NotEqual(SignatureDigest.Of(byFirst), SignatureDigest.Of(byRotated));
    }
}
