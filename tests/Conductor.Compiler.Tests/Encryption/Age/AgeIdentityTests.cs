using Conductor.Compiler.Encryption.Age;
using Conductor.TestSupport.Randomness;

namespace Conductor.Compiler.Tests.Encryption.Age;

public sealed class AgeIdentityTests
{
    [Fact]
    public void ToSecretString_RoundTripsUppercase()
    {
        var identity = AgeIdentity.Generate(new DeterministicRandomSource("id"));

        var text = identity.ToSecretString();

        Assert.StartsWith("AGE-SECRET-KEY-1", text, StringComparison.Ordinal);
        Assert.Equal(text.ToUpperInvariant(), text);
        Assert.Equal(identity.Recipient, AgeIdentity.Parse(text).Recipient);
        Assert.Equal(identity.Recipient, AgeIdentity.Parse(text.ToLowerInvariant()).Recipient);
    }

    [Fact]
    public void Parse_Invalid_NamesSourceButNeverTheSecret()
    {
        var secret = AgeIdentity.Generate().ToSecretString();
        var broken = secret[..^1] + (secret[^1] == 'Q' ? 'P' : 'Q');

        var error = Assert.Throws<AgeException>(() => AgeIdentity.Parse(broken, "keys/admin.txt"));

        Assert.StartsWith("keys/admin.txt is invalid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(broken, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, identityText(AgeIdentity.Parse(secret)), StringComparison.Ordinal);

        static string identityText(AgeIdentity i) => i.ToString();
    }

    [Fact]
    public void ParseFile_CommentsAndBlankLines_ReadsEveryIdentity()
    {
        var a = AgeIdentity.Generate();
        var b = AgeIdentity.Generate();
        var file = $"# created: 2024-01-01\n# public key: {a.Recipient}\n{a.ToSecretString()}\n\n{b.ToSecretString()}\n";

        var identities = AgeIdentity.ParseFile(file, "keys.txt");

        Assert.Equal([a.Recipient, b.Recipient], identities.Select(i => i.Recipient));
        Assert.Throws<AgeException>(() => AgeIdentity.ParseFile("# nothing\n", "empty.txt"));
    }
}
