using System.Text;
using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;
using Conductor.Compiler.Tests.Bootstrap;
using Conductor.Compiler.Tests.Encryption.Age;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>With age recipients every Secret bootstrap writes is SOPS-encrypted, and Debian's age can open it.</summary>
public sealed class BootstrapSopsTests
{
    private static readonly string[] SecretFiles =
    [
        "seam-mc-ccs-mgmt-node1.yaml", "seam-mc-ccs-mgmt-node2.yaml", "seam-mc-ccs-mgmt-node3.yaml", "seam-mc-ccs-mgmt-talosconfig.yaml",
    ];

    [Fact]
    public async Task Handler_AgeRecipient_EncryptsEverySecretAndOnlySecrets()
    {
        using var dir = new TemporaryDirectory();
        var (_, recipient) = await AgeCli.KeygenAsync(dir.Path, "admin.key");

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, ["--age-recipient", recipient]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("PLAIN TEXT", result.Stderr, StringComparison.Ordinal);
        foreach (var file in SecretFiles)
        {
            var text = result.Read(file);
            Assert.Contains("ENC[AES256_GCM,data:", text, StringComparison.Ordinal);
            Assert.Contains($"recipient: {recipient}", text, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain("version: v1alpha1", text, StringComparison.Ordinal);
            Assert.Contains("name: seam-mc-ccs-mgmt-", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("sops:", result.Read("ccs-mgmt.yaml"), StringComparison.Ordinal);
        Assert.DoesNotContain("sops:", result.Read("bootstrap-sequence.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_AgeRecipient_DataKeyOpensWithRealAgeAndSecretRoundTrips()
    {
        using var dir = new TemporaryDirectory();
        var (keyFile, recipient) = await AgeCli.KeygenAsync(dir.Path, "admin.key");
        var plain = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, ["--plaintext"], output: "plain");
        var encrypted = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, ["--age-recipient", recipient]);
        var identity = AgeIdentity.ParseFile(await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken), keyFile);

        foreach (var file in SecretFiles)
        {
            var text = encrypted.Read(file);
            var enc = BootstrapTests.Yaml(text)["sops"]!["age"]![0]!["enc"]!.GetValue<string>();
            var dataKey = await AgeCli.RunAsync("age", Encoding.ASCII.GetBytes(enc), "-d", "-i", keyFile);

            Assert.Equal(SopsDecryptor.DecryptDataKey(text, identity), dataKey);
            // Same seed, same secrets: the decrypted Secret is exactly the plaintext one.
            Assert.Equal(
                BootstrapTests.Yaml(plain.Read(file))["stringData"]!.ToJsonString(),
                BootstrapTests.Yaml(SopsDecryptor.DecryptYaml(text, identity))["stringData"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Handler_RecipientsFromEnvironment_EncryptForEachOfThem()
    {
        using var dir = new TemporaryDirectory();
        var (keyOne, one) = await AgeCli.KeygenAsync(dir.Path, "one.key");
        var (keyTwo, two) = await AgeCli.KeygenAsync(dir.Path, "two.key");
        var services = BootstrapHarness.Services(dir.Path, environment: new() { ["SOPS_AGE_RECIPIENTS"] = $"{one},{two}" });
        await File.WriteAllTextAsync(dir.File("input.yaml"), ClusterInputs.ThreeNodeTenant, TestContext.Current.CancellationToken);

        var result = await BootstrapHarness.RunFileAsync(dir.Path, "input.yaml", [], services);
        var text = result.Read("seam-mc-ccs-mgmt-talosconfig.yaml");

        Assert.Equal(0, result.ExitCode);
        foreach (var keyFile in new[] { keyOne, keyTwo })
        {
            var identity = AgeIdentity.ParseFile(await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken), keyFile);
            Assert.Contains("talosconfig:", SopsDecryptor.DecryptYaml(text, identity), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Handler_PlaintextWithRecipient_IsAUsageError()
    {
        using var dir = new TemporaryDirectory();
        var recipient = AgeIdentity.Generate().Recipient.Text;

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, ["--plaintext", "--age-recipient", recipient]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Empty(result.Files);
    }
}
