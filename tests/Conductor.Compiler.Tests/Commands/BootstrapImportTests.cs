using System.Text.Json.Nodes;
using Conductor.Compiler.Tests.Bootstrap;
using Conductor.Compiler.Yaml;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>mode: import re-derives every node's config from an existing init config, reusing its CAs and tokens.</summary>
public sealed class BootstrapImportTests
{
    private static readonly string[] Plaintext = ["--plaintext"];

    /// <summary>Bootstraps <paramref name="input"/> and writes each node's machine config to {host}.yaml in dir.</summary>
    private static async Task<BootstrapResult> GenerateConfigsAsync(TemporaryDirectory dir, JsonObject input)
    {
        var bootstrap = (JsonObject)input.DeepClone();
        bootstrap["mode"] = "bootstrap";
        bootstrap.Remove("importExistingCluster");
        bootstrap.Remove("machineConfigPaths");
        bootstrap["bootstrap"]!["controlPlaneEndpoint"] ??= "https://10.0.0.10:6443";
        bootstrap["bootstrap"]!["installDisk"] = "/dev/vda";
        bootstrap["bootstrap"]!["kubernetesVersion"] ??= "1.32.3";
        var generated = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(bootstrap), Plaintext, output: "generated");
        Assert.Equal(0, generated.ExitCode);
        foreach (var node in input["bootstrap"]!["nodes"]!.AsArray())
        {
            var host = (string)node!["hostname"]!;
            var secret = generated.Files.Single(f => f.EndsWith($"-{host.Split('-')[^1]}.yaml", StringComparison.Ordinal));
            await File.WriteAllTextAsync(dir.File($"{host}.yaml"),
                (string)BootstrapTests.Yaml(generated.Read(secret))["stringData"]!["machineconfig.yaml"]!, TestContext.Current.CancellationToken);
        }
        return generated;
    }

    private static JsonObject Fixture(string name) =>
        (JsonObject)YamlReader.ReadFirstDocument(File.ReadAllText(SharedFixtures.PathOf(name)))!;

    [Fact]
    public async Task Handler_TenantFixtureImport_ReusesCasAndWritesNamespaceSecretsClusterAndSequence()
    {
        using var dir = new TemporaryDirectory();
        var fixture = Fixture("docs-configs-cluster-input-tenant.yaml");
        var generated = await GenerateConfigsAsync(dir, fixture);
        var paths = new JsonObject();
        foreach (var node in fixture["bootstrap"]!["nodes"]!.AsArray())
        {
            paths[(string)node!["hostname"]!] = $"{(string)node["hostname"]!}.yaml";
        }
        fixture["machineConfigPaths"] = paths;

        var result = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(fixture), Plaintext, BootstrapHarness.Services(dir.Path, seed: "import"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["bootstrap-sequence.yaml", "seam-mc-tenant-cp1.yaml", "seam-mc-tenant-cp2.yaml", "seam-mc-tenant-cp3.yaml",
             "seam-mc-tenant-talosconfig.yaml", "seam-mc-tenant-w1.yaml", "seam-mc-tenant-w2.yaml", "seam-tenant-namespace.yaml", "tenant.yaml"],
            result.Files);
        var cr = result.Read("tenant.yaml");
        Assert.Contains("mode: import", cr, StringComparison.Ordinal);
        Assert.Contains("role: tenant", cr, StringComparison.Ordinal);
        Assert.Contains("clusterEndpoint: 10.1.0.10:6443", cr, StringComparison.Ordinal);
        Assert.Contains("namespace: seam-system", cr, StringComparison.Ordinal);
        var before = BootstrapTests.MachineConfig(generated, "seam-mc-tenant-cp1.yaml");
        var after = BootstrapTests.MachineConfig(result, "seam-mc-tenant-cp2.yaml");
        foreach (var path in new[] { "cluster.ca", "cluster.etcd.ca", "cluster.aggregatorCA", "machine.ca", "cluster.serviceAccount" })
        {
            Assert.Equal(At(before, path).ToJsonString(), At(after, path).ToJsonString());
        }
        foreach (var path in new[] { "cluster.id", "cluster.secret", "cluster.token", "machine.token", "cluster.secretboxEncryptionSecret" })
        {
            Assert.Equal((string?)At(before, path), (string?)At(after, path));
        }
        var sequence = BootstrapTests.Yaml((string)BootstrapTests.Yaml(result.Read("bootstrap-sequence.yaml"))["data"]!["sequence.yaml"]!);
        Assert.Equal("seam-tenant-namespace.yaml", (string?)sequence["steps"]![0]!["resources"]![0]);
    }

    [Fact]
    public async Task Handler_Import_NamespaceManifestIsSeamTenantWithLabels()
    {
        using var dir = new TemporaryDirectory();
        var input = ImportInput();
        await GenerateConfigsAsync(dir, input);

        var result = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(input), Plaintext);
        var text = result.Read("seam-tenant-namespace.yaml");

        Assert.Contains("name: seam-tenant-my-cluster", text, StringComparison.Ordinal);
        Assert.Contains("ontai.dev/tenant: \"true\"", text, StringComparison.Ordinal);
        Assert.Contains("ontai.dev/cluster: my-cluster", text, StringComparison.Ordinal);
        Assert.DoesNotContain("name: tenant-my-cluster", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ImportWithoutEndpointOrDisk_ExtractsBothFromTheInitConfig()
    {
        using var dir = new TemporaryDirectory();
        var input = ImportInput();
        await GenerateConfigsAsync(dir, input);

        var result = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(input), Plaintext);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("clusterEndpoint: 10.0.0.10:6443", result.Read("my-cluster.yaml"), StringComparison.Ordinal);
        Assert.Contains("role: management", result.Read("my-cluster.yaml"), StringComparison.Ordinal);
        Assert.Equal("/dev/vda", (string?)BootstrapTests.MachineConfig(result, "seam-mc-my-cluster-wk1.yaml")["machine"]!["install"]!["disk"]);
    }

    [Fact]
    public async Task Handler_ImportFromWorkerConfigOnly_SaysAWorkerHoldsNoCaKeys()
    {
        using var dir = new TemporaryDirectory();
        var input = ImportInput();
        await GenerateConfigsAsync(dir, input);
        input["bootstrap"]!["nodes"]![0]!["role"] = "controlplane";
        input["bootstrap"]!["controlPlaneEndpoint"] = "https://10.0.0.10:6443";
        input["machineConfigPaths"] = new JsonObject { ["cp1"] = "wk1.yaml" };

        var result = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(input), Plaintext);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("input.yaml: machineConfigPaths.cp1: 'wk1.yaml': machine.ca.key is missing or empty", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("this is a worker config", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ImportListingOnlyTheWorker_NamesTheInitNode()
    {
        using var dir = new TemporaryDirectory();
        var input = ImportInput();
        await GenerateConfigsAsync(dir, input);
        input["bootstrap"]!["controlPlaneEndpoint"] = "https://10.0.0.10:6443";
        input["machineConfigPaths"] = new JsonObject { ["wk1"] = "wk1.yaml" };

        var result = await BootstrapHarness.RunAsync(dir, YamlEmitter.Emit(input), Plaintext);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("init node \"cp1\"", result.Stderr, StringComparison.Ordinal);
    }

    private static JsonObject ImportInput() => new()
    {
        ["name"] = "my-cluster",
        ["mode"] = "import",
        ["role"] = "management",
        ["importExistingCluster"] = true,
        ["bootstrap"] = new JsonObject
        {
            ["talosVersion"] = "v1.9.3",
            ["nodes"] = new JsonArray(
                new JsonObject { ["hostname"] = "cp1", ["ip"] = "10.0.0.11", ["role"] = "init" },
                new JsonObject { ["hostname"] = "wk1", ["ip"] = "10.0.0.21", ["role"] = "worker" }),
        },
        ["machineConfigPaths"] = new JsonObject { ["cp1"] = "cp1.yaml" },
    };

    private static JsonNode At(JsonObject root, string path) =>
        path.Split('.').Aggregate((JsonNode)root, (node, key) => node[key]!);
}
