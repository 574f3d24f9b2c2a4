using Conductor.Compiler.Tests.Bootstrap;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>Each kind of bad input is an error naming the file and the field, and nothing is written.</summary>
public sealed class BootstrapInputErrorTests
{
    private static readonly string[] Plaintext = ["--plaintext"];

    private static string Replace(string from, string to) =>
        ClusterInputs.ThreeNodeTenant.Replace(from, to, StringComparison.Ordinal);

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "missing talosVersion", Replace("  talosVersion: v1.7.0\n", ""), "input.yaml: bootstrap.talosVersion: talosVersion is required" },
        { "unknown talosVersion", Replace("v1.7.0", "v1.99.0"), "input.yaml: bootstrap.talosVersion: Talos v1.99.0 is not supported" },
        { "malformed talosVersion", Replace("v1.7.0", "latest"), "input.yaml: bootstrap.talosVersion: 'latest' is not a Talos version" },
        { "two init nodes", Replace("role: controlplane", "role: init"), "input.yaml: bootstrap.nodes: exactly one node must have role \"init\", found 2" },
        { "no init node", Replace("role: init", "role: controlplane"), "input.yaml: bootstrap.nodes: exactly one node must have role \"init\", found 0" },
        { "unknown role", Replace("role: worker", "role: not-a-real-role"), "input.yaml: bootstrap.nodes[2].role: 'not-a-real-role' is not a role" },
        { "duplicate hostname", Replace("hostname: node3", "hostname: node1"), "input.yaml: bootstrap.nodes[2].hostname: hostname 'node1' is already used by bootstrap.nodes[0]" },
        { "duplicate ip", Replace("10.20.0.13", "10.20.0.11"), "input.yaml: bootstrap.nodes[2].ip: ip 10.20.0.11 is already used by bootstrap.nodes[0]" },
        { "invalid ip", Replace("10.20.0.13", "10.20.0"), "input.yaml: bootstrap.nodes[2].ip: '10.20.0' is not an IP address" },
        { "invalid endpoint", Replace("https://10.20.0.10:6443", "10.20.0.10:6443"), "input.yaml: bootstrap.controlPlaneEndpoint: '10.20.0.10:6443'" },
        { "http endpoint", Replace("https://10.20.0.10:6443", "http://10.20.0.10:6443"), "input.yaml: bootstrap.controlPlaneEndpoint: 'http://10.20.0.10:6443' must use https" },
        { "missing endpoint", Replace("  controlPlaneEndpoint: https://10.20.0.10:6443\n", ""), "input.yaml: bootstrap.controlPlaneEndpoint: controlPlaneEndpoint is required" },
        { "missing name", Replace("name: ccs-mgmt\n", ""), "input.yaml: name: name is required" },
        { "missing bootstrap", "name: ccs-mgmt\nmode: bootstrap\n", "input.yaml: bootstrap: the bootstrap section is required" },
        { "unknown mode", Replace("mode: bootstrap", "mode: adopt"), "input.yaml: mode: 'adopt' is not a mode" },
        { "bad role", Replace("role: tenant", "role: worker"), "input.yaml: role: role must be \"management\" or \"tenant\", got \"worker\"" },
        { "unquoted k8s version", Replace("kubernetesVersion: 1.30.0", "kubernetesVersion: 1.30"), "input.yaml: bootstrap.kubernetesVersion: the value has the wrong type" },
        { "bad patch", ClusterInputs.ThreeNodeTenant + "\npatches:\n- 'machine: [unclosed'\n", "input.yaml: patches[0]: not valid YAML" },
        { "bad mirror", ClusterInputs.ThreeNodeTenant + "\nregistryMirrors:\n- registry: docker.io\n  endpoints: [10.0.0.1:5000]\n", "input.yaml: registryMirrors[0].endpoints[0]" },
        { "import path missing", Replace("mode: bootstrap", "mode: import") + "\nmachineConfigPaths:\n  node1: ./nowhere.yaml\n", "input.yaml: machineConfigPaths.node1: './nowhere.yaml': the file does not exist" },
        { "import without configs", Replace("mode: bootstrap", "mode: import"), "input.yaml: machineConfigPaths: mode: import needs the machine config of init node \"node1\"" },
        { "not yaml", "name: [unclosed\n", "input.yaml: not valid YAML" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Handler_BadInput_NamesFileAndFieldAndWritesNothing(string scenario, string input, string expected)
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, input, Plaintext);

        Assert.True(result.ExitCode == ExitCodes.Failure, $"{scenario}: exit {result.ExitCode}, stderr: {result.Stderr}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(result.OutputDirectory), $"{scenario}: output directory was created");
    }

    [Fact]
    public async Task Handler_UnparsableMachineConfig_NamesTheFile()
    {
        using var dir = new TemporaryDirectory();
        await File.WriteAllTextAsync(dir.File("cp1.yaml"), "version: v1alpha1\nmachine: [\n", TestContext.Current.CancellationToken);
        var input = Replace("mode: bootstrap", "mode: import") + "\nmachineConfigPaths:\n  node1: cp1.yaml\n";

        var result = await BootstrapHarness.RunAsync(dir, input, Plaintext);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("input.yaml: machineConfigPaths.node1: 'cp1.yaml': not a Talos machine config: not valid YAML", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_NotATalosConfig_SaysWhichFieldIsWrong()
    {
        using var dir = new TemporaryDirectory();
        await File.WriteAllTextAsync(dir.File("cp1.yaml"), "apiVersion: v1\nkind: ConfigMap\n", TestContext.Current.CancellationToken);
        var input = Replace("mode: bootstrap", "mode: import") + "\nmachineConfigPaths:\n  node1: cp1.yaml\n";

        var result = await BootstrapHarness.RunAsync(dir, input, Plaintext);

        Assert.Contains("'version' is missing, expected v1alpha1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_InvalidAgeRecipient_NamesTheFlagAndWritesNothing()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, ["--age-recipient", "age1notakey"]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("--age-recipient:", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(result.OutputDirectory));
    }

    [Fact]
    public async Task Handler_InvalidRecipientInEnvironment_NamesTheVariable()
    {
        using var dir = new TemporaryDirectory();
        var services = BootstrapHarness.Services(dir.Path, environment: new() { ["SOPS_AGE_RECIPIENTS"] = "nope" });

        await File.WriteAllTextAsync(dir.File("input.yaml"), ClusterInputs.ThreeNodeTenant, TestContext.Current.CancellationToken);
        var result = await BootstrapHarness.RunFileAsync(dir.Path, "input.yaml", [], services);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("SOPS_AGE_RECIPIENTS:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_SeveralErrors_ReportsThemAllAtOnce()
    {
        using var dir = new TemporaryDirectory();
        var input = Replace("v1.7.0", "v2.0.0").Replace("10.20.0.13", "banana", StringComparison.Ordinal)
            .Replace("role: controlplane", "role: init", StringComparison.Ordinal);

        var result = await BootstrapHarness.RunAsync(dir, input, Plaintext);

        Assert.Contains("3 errors", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bootstrap.talosVersion", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bootstrap.nodes[2].ip", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("found 2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ImportFlagContradictsMode_IsAnError()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant + "\nimportExistingCluster: true\n", Plaintext);

        Assert.Contains("input.yaml: importExistingCluster: importExistingCluster: true contradicts mode: bootstrap", result.Stderr, StringComparison.Ordinal);
    }
}
