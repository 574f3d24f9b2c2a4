using Conductor.Compiler.Encryption.Age;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Encryption.Age;

public sealed class AgeRecipientTests
{
    // The X25519 example pair printed in the age specification (c2sp.org/age, "The X25519 recipient type").
    private const string SpecIdentity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
    private const string SpecRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

    [Fact]
    public void Parse_SpecExample_MatchesIdentityFromSpec()
    {
        var recipient = AgeRecipient.Parse(SpecRecipient);

        Assert.Equal(SpecRecipient, recipient.Text);
        Assert.Equal(recipient, AgeIdentity.Parse(SpecIdentity).Recipient);
    }

    [Fact]
    public async Task Parse_AgeKeygenRecipient_EqualsRecipientOfItsIdentity()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");

        var identity = AgeIdentity.ParseFile(File.ReadAllText(keyFile), keyFile).Single();

        Assert.Equal(AgeRecipient.Parse(recipient), identity.Recipient);
    }

    [Fact]
    public async Task Parse_ChecksumError_ThrowsNamingRecipientAndRule_AsAgeDoes()
    {
        // One character changed: the Bech32 checksum no longer matches.
        var mistyped = SpecRecipient[..10] + (SpecRecipient[10] == 'q' ? 'p' : 'q') + SpecRecipient[11..];

        var error = Assert.Throws<AgeException>(() => AgeRecipient.Parse(mistyped));

        Assert.Contains($"\"{mistyped}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        var peer = await AgeCli.TryAsync("age", "x"u8.ToArray(), "-r", mistyped);
        Assert.NotEqual(0, peer.ExitCode);
    }

    [Theory]
    [InlineData("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ", "mixed")]
    [InlineData("AGE1ZVKYG2LQZRAA2LNJVQEJ32NKUU0UES2S82HZRYE869XEEXVN73EQUNUJWJ", "lowercase")]
    [InlineData("age1zvkyg2lq zraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "printable")]
    [InlineData("age1qyqszqgpqyqszqgpqyqszqgpqyqszqgp", "checksum")]
    [InlineData("", "separator")]
    [InlineData(SpecIdentity, "prefix \"age-secret-key-\"")]
    public void Parse_Invalid_ThrowsNamingRule(string text, string rule)
    {
        var error = Assert.Throws<AgeException>(() => AgeRecipient.Parse(text));

        Assert.StartsWith("age recipient \"", error.Message, StringComparison.Ordinal);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }
}
