using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>An age X25519 recipient: the Bech32 string <c>age1…</c> encoding a Curve25519 public key.</summary>
public sealed class AgeRecipient : IEquatable<AgeRecipient>
{
    /// <summary>The Bech32 human-readable part of recipients.</summary>
    public const string Hrp = "age";

    private readonly byte[] _publicKey;

    internal AgeRecipient(byte[] publicKey)
    {
        _publicKey = publicKey;
        Text = Bech32.Encode(Hrp, publicKey);
    }

    /// <summary>The canonical <c>age1…</c> form.</summary>
    public string Text { get; }

    internal ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Parses an <c>age1…</c> X25519 recipient. Throws <see cref="AgeException"/> naming it and the rule.</summary>
    public static AgeRecipient Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        (string Hrp, byte[] Data) decoded;
        try
        {
            decoded = Bech32.Decode(trimmed);
        }
        catch (FormatException e)
        {
            throw Invalid(text, e.Message);
        }
        if (decoded.Hrp != Hrp)
        {
            throw Invalid(text, $"an X25519 recipient starts with \"{Hrp}1\", this one has prefix \"{decoded.Hrp}\"" +
                (decoded.Hrp.StartsWith("age1", StringComparison.Ordinal) ? " (plugin and post-quantum recipients are not supported)" : ""));
        }
        if (decoded.Data.Length != X25519.PointSize)
        {
            throw Invalid(text, $"an X25519 recipient encodes {X25519.PointSize} bytes, this one {decoded.Data.Length}");
        }
        if (trimmed.Any(char.IsAsciiLetterUpper))
        {
            throw Invalid(text, "recipients are written in lowercase");
        }
        return new AgeRecipient(decoded.Data);
    }

    public override string ToString() => Text;

    public bool Equals(AgeRecipient? other) => other is not null && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    public override bool Equals(object? obj) => Equals(obj as AgeRecipient);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    private static AgeException Invalid(string text, string rule) =>
        new($"age recipient \"{text}\" is invalid: {rule}; expected an X25519 recipient like the output of `age-keygen -y`");
}
