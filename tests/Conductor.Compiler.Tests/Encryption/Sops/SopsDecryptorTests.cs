using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;

namespace Conductor.Compiler.Tests.Encryption.Sops;

public sealed class SopsDecryptorTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();

    private static string Encrypted() => SopsEncryptor.EncryptSecretYaml(SopsEncryptorTests.Secret, [Identity.Recipient], SopsEncryptorTests.Time);

    [Fact]
    public void DecryptYaml_ChangedPlaintextValue_FailsMac()
    {
        var tampered = Encrypted().Replace("name: talos-secret", "name: other-secret", StringComparison.Ordinal);

        var error = Assert.Throws<SopsException>(() => SopsDecryptor.DecryptYaml(tampered, [Identity]));

        Assert.Contains("MAC mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptYaml_RemovedValue_FailsMac()
    {
        var lines = Encrypted().Split('\n').Where(l => !l.TrimStart().StartsWith("token:", StringComparison.Ordinal));

        var error = Assert.Throws<SopsException>(() => SopsDecryptor.DecryptYaml(string.Join('\n', lines), [Identity]));

        Assert.Contains("MAC mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptYaml_SwappedEncryptedValues_FailsAuthenticationNamingPath()
    {
        // Each value is bound to its key path (the GCM additional data), so moving ciphertexts between keys is caught.
        var file = Encrypted();
        var root = SopsEncryptorTests.Load(file);
        var token = SopsEncryptorTests.Scalar(root, "stringData", "token");
        var talos = SopsEncryptorTests.Scalar(root, "data", "talosconfig");
        var moved = file.Replace(token, "@@", StringComparison.Ordinal)
            .Replace(talos, token, StringComparison.Ordinal)
            .Replace("@@", talos, StringComparison.Ordinal);

        var error = Assert.Throws<SopsException>(() => SopsDecryptor.DecryptYaml(moved, [Identity]));

        Assert.StartsWith("data.talosconfig: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptYaml_ChangedCiphertextByte_FailsAuthentication()
    {
        var file = Encrypted();
        var value = SopsEncryptorTests.Scalar(SopsEncryptorTests.Load(file), "stringData", "token");
        var dataStart = "ENC[AES256_GCM,data:".Length;
        var flipped = value[..dataStart] + (value[dataStart] == 'A' ? 'B' : 'A') + value[(dataStart + 1)..];

        var error = Assert.Throws<SopsException>(
            () => SopsDecryptor.DecryptYaml(file.Replace(value, flipped, StringComparison.Ordinal), [Identity]));

        Assert.StartsWith("stringData.token: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptYaml_WrongIdentity_ThrowsNoIdentityMatched()
    {
        var stranger = AgeIdentity.Generate();

        var error = Assert.Throws<SopsException>(() => SopsDecryptor.DecryptYaml(Encrypted(), [stranger]));

        Assert.Contains("no identity matched", error.Message, StringComparison.Ordinal);
        Assert.Contains(Identity.Recipient.Text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptYaml_PlainDocument_ThrowsNotEncrypted()
    {
        var error = Assert.Throws<SopsException>(() => SopsDecryptor.DecryptYaml(SopsEncryptorTests.Secret, [Identity]));

        Assert.Contains("not SOPS-encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptDataKey_ReturnsThe32ByteKey()
    {
        Assert.Equal(32, SopsDecryptor.DecryptDataKey(Encrypted(), [Identity]).Length);
    }
}
