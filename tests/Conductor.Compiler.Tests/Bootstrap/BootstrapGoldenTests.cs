using System.Text.Json.Nodes;
using Conductor.Compiler.Tests.Commands;
using Conductor.Compiler.Tests.Golden;
using Conductor.Compiler.Yaml;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Bootstrap;

/// <summary>
/// Golden structure tests: testdata/bootstrap/&lt;case&gt;/input.yaml → expected/, with every generated secret (keys,
/// certificates, tokens, cluster id) masked, so the goldens show the document layout per role and Talos contract.
/// Regenerate with <c>UPDATE_GOLDENS=1</c> (update-goldens.sh) and review the diff.
/// </summary>
public sealed class BootstrapGoldenTests
{
    private const string Masked = "<generated>";
    private static readonly HashSet<string> SecretKeys = new(StringComparer.Ordinal)
    {
        "token", "crt", "key", "id", "secret", "secretboxEncryptionSecret", "ca",
    };

    public static TheoryData<string> Cases => [.. Directory.GetDirectories(Path.Combine(BootstrapHarness.TestData(), "bootstrap"))
        .Where(d => File.Exists(Path.Combine(d, "input.yaml"))).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Handler_GoldenCase_MatchesExpectedWithSecretsMasked(string name)
    {
        var caseDirectory = Path.Combine(BootstrapHarness.TestData(), "bootstrap", name);
                using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunFileAsync(
            caseDirectory, Path.Combine(caseDirectory, "input.yaml"), ["--plaintext"], BootstrapHarness.Services(caseDirectory), dir.File("out"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var actual = result.Files.ToDictionary(f => f, f => Mask(result.Read(f)), StringComparer.Ordinal);

        var masked = dir.File("masked");
        Directory.CreateDirectory(masked);
        foreach (var (file, text) in actual)
        {
            await File.WriteAllTextAsync(Path.Combine(masked, file), text, TestContext.Current.CancellationToken);
        }
        GoldenDirectory.AssertMatches(caseDirectory, masked);
    }

    /// <summary>The file with the secrets inside its machine config or talosconfig replaced by a placeholder.</summary>
    internal static string Mask(string yaml)
    {
        var document = BootstrapTests.Yaml(yaml);
        if (document["stringData"] is JsonObject data)
        {
            foreach (var (key, value) in data.ToList())
            {
                var inner = BootstrapTests.Yaml((string)value!);
                MaskSecrets(inner);
                data[key] = YamlEmitter.Emit(inner);
            }
        }
        return YamlEmitter.Emit(document);
    }

    private static void MaskSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (SecretKeys.Contains(key) && value is JsonValue)
                    {
                        map[key] = Masked;
                    }
                    else
                    {
                        MaskSecrets(value);
                    }
                }
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    MaskSecrets(item);
                }
                break;
        }
    }
}
