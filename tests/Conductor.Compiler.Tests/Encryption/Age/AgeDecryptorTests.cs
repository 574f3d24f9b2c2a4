using System.Security.Cryptography;
using System.Text;
using Conductor.Compiler.Encryption.Age;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Encryption.Age;

public sealed class AgeDecryptorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(200000)]
    public async Task Decrypt_AgeBinaryOutput_ReturnsPlaintext(int size)
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var encrypted = await AgeCli.RunAsync("age", plaintext, "-r", recipient);
        var identities = AgeIdentity.ParseFile(File.ReadAllText(keyFile), keyFile);

        Assert.Equal(plaintext, AgeDecryptor.Decrypt(encrypted, identities));
        Assert.Equal(recipient, identities[0].Recipient.Text);
    }

    [Fact]
    public async Task Decrypt_AgeArmoredOutput_ReturnsPlaintext()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var plaintext = RandomNumberGenerator.GetBytes(5000);

        var armored = await AgeCli.RunAsync("age", plaintext, "-a", "-r", recipient);

        Assert.Equal(plaintext, AgeDecryptor.Decrypt(armored, AgeIdentity.ParseFile(File.ReadAllText(keyFile), keyFile)));
    }

    [Fact]
    public async Task Decrypt_AgeOutputForTwoRecipients_EachIdentityDecrypts()
    {
        using var dir = new TemporaryDirectory();
        var (firstFile, first) = await AgeCli.KeygenAsync(dir.Path, "first.txt");
        var second = AgeIdentity.Generate();
        var plaintext = Encoding.UTF8.GetBytes("shared secret");

        var encrypted = await AgeCli.RunAsync("age", plaintext, "-r", first, "-r", second.Recipient.Text);

        Assert.Equal(plaintext, AgeDecryptor.Decrypt(encrypted, AgeIdentity.ParseFile(File.ReadAllText(firstFile), firstFile)));
        Assert.Equal(plaintext, AgeDecryptor.Decrypt(encrypted, second));
    }

    [Fact]
    public async Task Decrypt_WrongIdentity_ThrowsNoIdentityMatched()
    {
        using var dir = new TemporaryDirectory();
        var (_, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var encrypted = await AgeCli.RunAsync("age", "secret"u8.ToArray(), "-r", recipient);
        var stranger = AgeIdentity.Generate();

        var error = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(encrypted, stranger));

        Assert.Contains("no identity matched", error.Message, StringComparison.Ordinal);
        Assert.Contains(stranger.Recipient.Text, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]      // last byte: tag of the final chunk
    [InlineData(-70000)]  // inside the second chunk
    public void Decrypt_TamperedPayload_Throws(int offsetFromEnd)
    {
        var identity = AgeIdentity.Generate();
        var encrypted = AgeEncryptor.Encrypt(RandomNumberGenerator.GetBytes(200000), [identity.Recipient]);
        encrypted[encrypted.Length + offsetFromEnd] ^= 0x01;

        var error = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(encrypted, identity));

        Assert.Contains("failed authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_TruncatedAtChunkBoundary_Throws()
    {
        var identity = AgeIdentity.Generate();
        var encrypted = AgeEncryptor.Encrypt(RandomNumberGenerator.GetBytes(3 * 65536), [identity.Recipient]);

        var truncated = encrypted.AsSpan(0, encrypted.Length - (65536 + 16)).ToArray();

        Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(truncated, identity));
    }

    [Fact]
    public void Decrypt_TamperedHeader_ThrowsMacMismatch()
    {
        var identity = AgeIdentity.Generate();
        var encrypted = AgeEncryptor.Encrypt("payload"u8, [identity.Recipient, AgeIdentity.Generate().Recipient]);
        // Change the second stanza's share: the first stanza still unwraps, so only the header MAC can catch it.
        var text = Encoding.ASCII.GetString(encrypted);
        var secondStanza = text.IndexOf("-> X25519 ", text.IndexOf("-> X25519 ", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        var at = secondStanza + "-> X25519 ".Length;
        encrypted[at] = encrypted[at] == (byte)'A' ? (byte)'B' : (byte)'A';

        var error = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(encrypted, identity));

        Assert.Contains("MAC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_NotAnAgeFile_Throws()
    {
        var error = Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt("hello\n"u8, AgeIdentity.Generate()));

        Assert.Contains("not an age file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_NonCanonicalArmor_Throws()
    {
        var identity = AgeIdentity.Generate();
        var armored = AgeEncryptor.EncryptArmored(RandomNumberGenerator.GetBytes(200), [identity.Recipient]);
        // Re-wrap the base64 at 76 columns: same bytes, non-canonical armor.
        var body = armored.Split('\n').Skip(1).TakeWhile(l => !l.StartsWith("-----", StringComparison.Ordinal));
        var joined = string.Concat(body);
        var rewrapped = AgeArmor.Begin + "\n" + string.Join("\n", joined.Chunk(76).Select(c => new string(c))) + "\n" + AgeArmor.End + "\n";

        Assert.Throws<AgeException>(() => AgeDecryptor.Decrypt(Encoding.ASCII.GetBytes(rewrapped), identity));
        Assert.NotEmpty(AgeDecryptor.Decrypt(Encoding.ASCII.GetBytes("\r\n" + armored.Replace("\n", "\r\n", StringComparison.Ordinal)), identity));
    }
}
