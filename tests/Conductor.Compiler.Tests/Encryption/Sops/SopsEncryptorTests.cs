using System.Text;
using System.Text.RegularExpressions;
using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;
using Conductor.Compiler.Tests.Encryption.Age;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Tests.Encryption.Sops;

public sealed partial class SopsEncryptorTests
{
    internal const string Secret =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: talos-secret
          namespace: seam-tenant-ccs-dev
          labels:
            app.kubernetes.io/managed-by: conductor
        type: Opaque
        data:
          talosconfig: dGFsb3Njb25maWcgY29udGVudHM=
          empty: ""
        stringData:
          token: abc.def
          port: "5432"
          replicas: 3
          enabled: true
          ratio: 0.5
          multi: |
            line one
            line two
        """;

    internal static readonly FakeTimeProvider Time = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));

    [Fact]
    public void EncryptSecretYaml_ThenDecrypt_RoundTrips()
    {
        var identity = AgeIdentity.Generate();

        var encrypted = SopsEncryptor.EncryptSecretYaml(Secret, [identity.Recipient], Time);
        var decrypted = SopsDecryptor.DecryptYaml(encrypted, [identity]);

        Assert.Equal(Leaves(Secret), Leaves(decrypted));
        Assert.DoesNotContain("sops", decrypted, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptSecretYaml_EncryptsOnlyDataAndStringDataInSopsFormat()
    {
        var identity = AgeIdentity.Generate();

        var encrypted = SopsEncryptor.EncryptSecretYaml(Secret, [identity.Recipient], Time);
        var root = Load(encrypted);

        Assert.Equal("talos-secret", Scalar(root, "metadata", "name"));
        Assert.Equal("Opaque", Scalar(root, "type"));
        Assert.Equal("", Scalar(root, "data", "empty"));
        foreach (var (path, type) in new[]
        {
            (new[] { "data", "talosconfig" }, "str"), (["stringData", "token"], "str"), (["stringData", "port"], "str"),
            (["stringData", "replicas"], "int"), (["stringData", "enabled"], "bool"), (["stringData", "ratio"], "float"),
            (["stringData", "multi"], "str"),
        })
        {
            var match = EncryptedValue().Match(Scalar(root, path));
            Assert.True(match.Success, $"{string.Join('.', path)} is not an ENC[] value: {Scalar(root, path)}");
            Assert.Equal(32, Convert.FromBase64String(match.Groups["iv"].Value).Length);
            Assert.Equal(16, Convert.FromBase64String(match.Groups["tag"].Value).Length);
            Assert.Equal(type, match.Groups["type"].Value);
        }
        Assert.Equal("2025-03-04T05:06:07Z", Scalar(root, "sops", "lastmodified"));
        Assert.Equal(SopsEncryptor.KubernetesSecretRegex, Scalar(root, "sops", "encrypted_regex"));
        Assert.Equal(SopsEncryptor.FormatVersion, Scalar(root, "sops", "version"));
        Assert.Matches(EncryptedValue(), Scalar(root, "sops", "mac"));
        var age = (YamlSequenceNode)((YamlMappingNode)root["sops"])["age"];
        Assert.Equal(identity.Recipient.Text, ((YamlScalarNode)((YamlMappingNode)age[0])["recipient"]).Value);
    }

    [Fact]
    public async Task EncryptSecretYaml_AgeBinaryUnwrapsDataKeyThatDecryptsValues()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");

        var encrypted = SopsEncryptor.EncryptSecretYaml(Secret, [AgeRecipient.Parse(recipient)], Time);
        var root = Load(encrypted);
        var enc = ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["sops"])["age"])[0])["enc"]).Value!;
        var dataKey = await AgeCli.RunAsync("age", Encoding.ASCII.GetBytes(enc), "-d", "-i", keyFile);

        Assert.Equal(32, dataKey.Length);
        // Decrypt two values independently of our SOPS code: AES-256-GCM, additional data = key path + ":".
        Assert.Equal("dGFsb3Njb25maWcgY29udGVudHM=", GcmDecrypt(Scalar(root, "data", "talosconfig"), dataKey, "data:talosconfig:"));
        Assert.Equal("3", GcmDecrypt(Scalar(root, "stringData", "replicas"), dataKey, "stringData:replicas:"));
        Assert.Equal("True", GcmDecrypt(Scalar(root, "stringData", "enabled"), dataKey, "stringData:enabled:"));
        // The MAC: uppercase hex SHA-512, encrypted with lastmodified as additional data.
        Assert.Matches("^[0-9A-F]{128}$", GcmDecrypt(Scalar(root, "sops", "mac"), dataKey, "2025-03-04T05:06:07Z"));
    }

    [Fact]
    public async Task EncryptSecretYaml_TwoRecipients_EachDecrypts()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "key.txt");
        var ours = AgeIdentity.Generate();

        var encrypted = SopsEncryptor.EncryptSecretYaml(Secret, [AgeRecipient.Parse(recipient), ours.Recipient], Time);

        var keygenIdentity = AgeIdentity.ParseFile(File.ReadAllText(keyFile), keyFile);
        Assert.Equal(Leaves(Secret), Leaves(SopsDecryptor.DecryptYaml(encrypted, keygenIdentity)));
        Assert.Equal(Leaves(Secret), Leaves(SopsDecryptor.DecryptYaml(encrypted, [ours])));
        var age = (YamlSequenceNode)((YamlMappingNode)Load(encrypted)["sops"])["age"];
        foreach (var entry in age.Children.Cast<YamlMappingNode>())
        {
            var enc = Encoding.ASCII.GetBytes(((YamlScalarNode)entry["enc"]).Value!);
            if (((YamlScalarNode)entry["recipient"]).Value == recipient)
            {
                Assert.Equal(32, (await AgeCli.RunAsync("age", enc, "-d", "-i", keyFile)).Length);
            }
        }
    }

    [Fact]
    public void EncryptSecretYaml_InjectedRandomAndTime_IsByteForByteReproducible()
    {
        var recipient = AgeIdentity.Generate(new DeterministicRandomSource("recipient")).Recipient;

        var first = SopsEncryptor.EncryptSecretYaml(Secret, [recipient], Time, new DeterministicRandomSource("run"));
        var second = SopsEncryptor.EncryptSecretYaml(Secret, [recipient], Time, new DeterministicRandomSource("run"));
        var other = SopsEncryptor.EncryptSecretYaml(Secret, [recipient], Time, new DeterministicRandomSource("other run"));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void EncryptSecretYaml_NoRecipients_ThrowsNamingFlagAndVariable()
    {
        var error = Assert.Throws<SopsException>(() => SopsEncryptor.EncryptSecretYaml(Secret, [], Time));

        Assert.Contains("SOPS_AGE_RECIPIENTS", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data:\n  a: 0755\n", "data.a")]
    [InlineData("data:\n  a: .inf\n", "data.a")]
    [InlineData("data:\n  a: !!binary aGk=\n", "explicit YAML tag")]
    [InlineData("sops:\n  version: 3\n", "encrypted already")]
    [InlineData("- a\n- b\n", "mapping")]
    [InlineData("a: &x 1\nb: *x\n", "anchors")]
    public void EncryptYaml_UnsupportedInput_ThrowsNamingRule(string yaml, string expected)
    {
        var error = Assert.Throws<SopsException>(
            () => SopsEncryptor.EncryptSecretYaml(yaml, [AgeIdentity.Generate().Recipient], Time));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    internal static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    internal static string Scalar(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return ((YamlScalarNode)node).Value!;
    }

    /// <summary>Every scalar with its path and whether it was quoted: what a YAML reader sees, formatting aside.</summary>
    internal static List<string> Leaves(string yaml)
    {
        var result = new List<string>();
        Collect(Load(yaml), "", result);
        return result;

        static void Collect(YamlNode node, string path, List<string> result)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        Collect(value, $"{path}.{((YamlScalarNode)key).Value}", result);
                    }
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        Collect(item, path + "[]", result);
                    }
                    break;
                case YamlScalarNode scalar:
                    var quoted = scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any);
                    var type = quoted && scalar.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded ? "block" : quoted ? "quoted" : "plain";
                    result.Add($"{path}={scalar.Value} ({(type == "block" ? "quoted" : type)})");
                    break;
            }
        }
    }

    private static string GcmDecrypt(string encValue, byte[] key, string additionalData)
    {
        var match = EncryptedValue().Match(encValue);
        Assert.True(match.Success, encValue);
        var data = Convert.FromBase64String(match.Groups["data"].Value);
        var tag = Convert.FromBase64String(match.Groups["tag"].Value);
        var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        gcm.Init(false, new AeadParameters(new KeyParameter(key), 128, Convert.FromBase64String(match.Groups["iv"].Value),
            Encoding.UTF8.GetBytes(additionalData)));
        var input = data.Concat(tag).ToArray();
        var output = new byte[gcm.GetOutputSize(input.Length)];
        var length = gcm.ProcessBytes(input, 0, input.Length, output, 0);
        length += gcm.DoFinal(output, length);
        return Encoding.UTF8.GetString(output, 0, length);
    }

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(?<data>[A-Za-z0-9+/=]+),iv:(?<iv>[A-Za-z0-9+/=]+),tag:(?<tag>[A-Za-z0-9+/=]+),type:(?<type>[a-z]+)\]$")]
    private static partial Regex EncryptedValue();
}
