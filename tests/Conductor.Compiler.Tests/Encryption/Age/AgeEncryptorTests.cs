using System.Security.Cryptography;
using System.Text;
using Conductor.Compiler.Encryption.Age;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;

namespace Conductor.Compiler.Tests.Encryption.Age;

public sealed class AgeEncryptorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(200000)]
    public async Task Encrypt_AnySize_AgeBinaryDecryptsIdentically(int size)
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var plaintext = RandomNumberGenerator.GetBytes(size);

        var encrypted = AgeEncryptor.Encrypt(plaintext, [AgeRecipient.Parse(recipient)]);

        Assert.Equal(plaintext, await AgeCli.RunAsync("age", encrypted, "-d", "-i", keyFile));
    }

    [Fact]
    public async Task EncryptArmored_AgeBinaryDecrypts()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var plaintext = RandomNumberGenerator.GetBytes(100);

        var armored = AgeEncryptor.EncryptArmored(plaintext, [AgeRecipient.Parse(recipient)]);

        Assert.StartsWith(AgeArmor.Begin + "\n", armored, StringComparison.Ordinal);
        Assert.Equal(plaintext, await AgeCli.RunAsync("age", Encoding.ASCII.GetBytes(armored), "-d", "-i", keyFile));
    }

    [Fact]
    public async Task Encrypt_TwoRecipients_EachAgeIdentityDecrypts()
    {
        using var dir = new TemporaryDirectory();
        var (keygenFile, keygenRecipient) = await AgeCli.KeygenAsync(dir.Path, "keygen.txt");
        var ours = AgeIdentity.Generate();
        var oursFile = dir.File("ours.txt");
        File.WriteAllText(oursFile, ours.ToSecretString() + "\n");
        var plaintext = Encoding.UTF8.GetBytes("two readers");

        var encrypted = AgeEncryptor.Encrypt(plaintext, [AgeRecipient.Parse(keygenRecipient), ours.Recipient]);

        Assert.Equal(plaintext, await AgeCli.RunAsync("age", encrypted, "-d", "-i", keygenFile));
        Assert.Equal(plaintext, await AgeCli.RunAsync("age", encrypted, "-d", "-i", oursFile));
    }

    [Fact]
    public async Task Encrypt_OtherRecipient_AgeReportsNoIdentityMatched()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, _) = await AgeCli.KeygenAsync(dir.Path, "key.txt");

        var encrypted = AgeEncryptor.Encrypt("x"u8, [AgeIdentity.Generate().Recipient]);
        var result = await AgeCli.TryAsync("age", encrypted, "-d", "-i", keyFile);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no identity matched", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_SameRandomSource_SameBytes()
    {
        var recipient = AgeIdentity.Generate(new DeterministicRandomSource("identity")).Recipient;

        var a = AgeEncryptor.Encrypt("reproducible"u8, [recipient], new DeterministicRandomSource("file"));
        var b = AgeEncryptor.Encrypt("reproducible"u8, [recipient], new DeterministicRandomSource("file"));
        var c = AgeEncryptor.Encrypt("reproducible"u8, [recipient], new DeterministicRandomSource("other"));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Encrypt_NoRecipients_Throws() =>
        Assert.Throws<AgeException>(() => AgeEncryptor.Encrypt("x"u8, []));
}
