using Conductor.Signing;
using Conductor.TestSupport.Randomness;

namespace Conductor.Interfaces.Tests.Signing;

public sealed class TrustedKeySetTests
{
    [Fact]
    public void FromPems_SeveralKeys_FindsEachByKeyId()
    {
        var old = Ed25519PrivateKey.Generate(new DeterministicRandomSource("old")).PublicKey;
        var current = Ed25519PrivateKey.Generate(new DeterministicRandomSource("current")).PublicKey;

        var set = TrustedKeySet.FromPems([("old.pem", old.ExportPem()), ("current.pem", current.ExportPem()), ("dup.pem", old.ExportPem())]);

        Assert.Equal(2, set.Count);
        Assert.True(set.TryGet(old.KeyId, out var foundOld));
        Assert.Equal(old.ExportPem(), foundOld.ExportPem());
        Assert.True(set.TryGet(current.KeyId, out _));
        Assert.False(set.TryGet("ed25519:0000000000000000", out _));
        Assert.Equal(new[] { old.KeyId, current.KeyId }.Order(StringComparer.Ordinal), set.KeyIds);
    }

    [Fact]
    public void FromPems_BadPem_ThrowsNamingItsSource()
    {
        var error = Assert.Throws<SigningKeyException>(() => TrustedKeySet.FromPems([("keys/broken.pem", "garbage")]));

        Assert.StartsWith("keys/broken.pem: ", error.Message, StringComparison.Ordinal);
    }
}
