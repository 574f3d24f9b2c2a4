using Conductor.Randomness;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>
/// A BouncyCastle <see cref="SecureRandom"/> that draws every byte from an <see cref="IRandomSource"/>, so key
/// generation, certificate serials and ECDSA nonces are reproducible when tests inject a seeded source.
/// </summary>
internal static class SourcedSecureRandom
{
    public static SecureRandom Create(IRandomSource source) => new(new Generator(source));

    private sealed class Generator(IRandomSource source) : IRandomGenerator
    {
        // Seed material is ignored on purpose: the source alone decides the bytes.
        public void AddSeedMaterial(byte[] seed)
        {
        }

        public void AddSeedMaterial(ReadOnlySpan<byte> seed)
        {
        }

        public void AddSeedMaterial(long seed)
        {
        }

        public void NextBytes(byte[] bytes) => source.Fill(bytes);

        public void NextBytes(byte[] bytes, int start, int len) => source.Fill(bytes.AsSpan(start, len));

        public void NextBytes(Span<byte> bytes) => source.Fill(bytes);
    }
}
