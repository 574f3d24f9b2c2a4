using Conductor.Randomness;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>The two certificate key algorithms of a Talos PKI: ECDSA P-256 with SHA-256, and pure Ed25519.</summary>
internal enum KeyAlgorithm
{
    EcdsaP256,
    Ed25519,
}

/// <summary>Key generation and signature factories for <see cref="KeyAlgorithm"/>, all drawing from one random source.</summary>
internal static class KeyPairs
{
    public static AsymmetricCipherKeyPair Generate(KeyAlgorithm algorithm, IRandomSource random)
    {
        switch (algorithm)
        {
            case KeyAlgorithm.Ed25519:
                var seed = new byte[Ed25519PrivateKeyParameters.KeySize];
                random.Fill(seed);
                var key = new Ed25519PrivateKeyParameters(seed);
                return new AsymmetricCipherKeyPair(key.GeneratePublicKey(), key);
            case KeyAlgorithm.EcdsaP256:
                var generator = new ECKeyPairGenerator("ECDSA");
                generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, SourcedSecureRandom.Create(random)));
                return generator.GenerateKeyPair();
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null);
        }
    }

    public static ISignatureFactory SignatureFactory(AsymmetricKeyParameter signingKey, IRandomSource random) => signingKey switch
    {
        Ed25519PrivateKeyParameters => new Asn1SignatureFactory("Ed25519", signingKey),
        ECPrivateKeyParameters => new Asn1SignatureFactory("SHA256WITHECDSA", signingKey, SourcedSecureRandom.Create(random)),
        RsaPrivateCrtKeyParameters => new Asn1SignatureFactory("SHA256WITHRSA", signingKey),
        _ => throw new ArgumentException($"cannot sign with a {signingKey.GetType().Name}", nameof(signingKey)),
    };
}
