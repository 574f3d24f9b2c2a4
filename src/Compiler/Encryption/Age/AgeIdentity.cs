using Conductor.Randomness;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>An age X25519 identity: the Bech32 string <c>AGE-SECRET-KEY-1…</c> encoding a Curve25519 secret scalar.</summary>
public sealed class AgeIdentity
{
    /// <summary>The Bech32 human-readable part of identities (written uppercase).</summary>
    public const string Hrp = "age-secret-key-";

    private readonly byte[] _secret;

    private AgeIdentity(byte[] secret)
    {
        _secret = secret;
        var publicKey = new byte[X25519.PointSize];
        X25519.ScalarMultBase(secret, 0, publicKey, 0);
        Recipient = new AgeRecipient(publicKey);
    }

    /// <summary>The recipient that encrypts to this identity.</summary>
    public AgeRecipient Recipient { get; }

    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>A new identity from 32 bytes of <paramref name="random"/> (the OS CSPRNG when null).</summary>
    public static AgeIdentity Generate(IRandomSource? random = null)
    {
        var secret = new byte[X25519.ScalarSize];
        (random ?? SystemRandomSource.Instance).Fill(secret);
        return new AgeIdentity(secret);
    }

    /// <summary>
    /// Parses an <c>AGE-SECRET-KEY-1…</c> identity. The error names <paramref name="source"/> (a file) but never echoes
    /// the secret.
    /// </summary>
    public static AgeIdentity Parse(string text, string source = "age identity")
    {
        ArgumentNullException.ThrowIfNull(text);
        (string Hrp, byte[] Data) decoded;
        try
        {
            decoded = Bech32.Decode(text.Trim());
        }
        catch (FormatException e)
        {
            throw Invalid(source, e.Message);
        }
        if (decoded.Hrp != Hrp)
        {
            throw Invalid(source, "an X25519 identity starts with \"AGE-SECRET-KEY-1\"");
        }
        if (decoded.Data.Length != X25519.ScalarSize)
        {
            throw Invalid(source, $"an X25519 identity encodes {X25519.ScalarSize} bytes, this one {decoded.Data.Length}");
        }
        return new AgeIdentity(decoded.Data);
    }

    /// <summary>
    /// Reads an identity file as <c>age-keygen</c> writes it: <c>#</c> comments, blank lines, one identity per line.
    /// </summary>
    public static IReadOnlyList<AgeIdentity> ParseFile(string text, string source)
    {
        var identities = new List<AgeIdentity>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            identities.Add(Parse(trimmed, $"{source} line {lineNumber}"));
        }
        return identities.Count > 0 ? identities : throw new AgeException($"{source}: no AGE-SECRET-KEY-1 identity found");
    }

    /// <summary>The canonical uppercase <c>AGE-SECRET-KEY-1…</c> form. Treat it as a secret.</summary>
    public string ToSecretString() => Bech32.Encode(Hrp, _secret).ToUpperInvariant();

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"age identity for {Recipient}";

    private static AgeException Invalid(string source, string rule) =>
        new($"{source} is invalid: {rule}; expected an identity like the AGE-SECRET-KEY-1… line that `age-keygen` writes");
}
