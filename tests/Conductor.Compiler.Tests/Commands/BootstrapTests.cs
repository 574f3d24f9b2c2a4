using System.Text.Json.Nodes;
using Conductor.Compiler.Tests.Bootstrap;
using Conductor.Compiler.Yaml;
using Conductor.TestSupport;

namespace Conductor.Compiler.Tests.Commands;

public sealed class BootstrapTests
{
    private static readonly string[] Plaintext = ["--plaintext"];

    internal static JsonObject Yaml(string text) => (JsonObject)YamlReader.ReadFirstDocument(text)!;

    internal static JsonObject MachineConfig(BootstrapResult result, string file) =>
        Yaml(Yaml(result.Read(file))["stringData"]!["machineconfig.yaml"]!.GetValue<string>());

    [Fact]
    public async Task Handler_ThreeNodeBootstrap_WritesNodeSecretsTalosconfigClusterAndSequence()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["bootstrap-sequence.yaml", "ccs-mgmt.yaml", "seam-mc-ccs-mgmt-node1.yaml", "seam-mc-ccs-mgmt-node2.yaml",
             "seam-mc-ccs-mgmt-node3.yaml", "seam-mc-ccs-mgmt-talosconfig.yaml"],
            result.Files);
    }

    [Fact]
    public async Task Handler_NodeSecret_IsOpaqueSecretInTenantNamespaceWithLabels()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);
        var secret = Yaml(result.Read("seam-mc-ccs-mgmt-node1.yaml"));

        Assert.Equal("v1", (string?)secret["apiVersion"]);
        Assert.Equal("Secret", (string?)secret["kind"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
        Assert.Equal("seam-mc-ccs-mgmt-node1", (string?)secret["metadata"]!["name"]);
        Assert.Equal("seam-tenant-ccs-mgmt", (string?)secret["metadata"]!["namespace"]);
        var labels = secret["metadata"]!["labels"]!;
        Assert.Equal("ccs-mgmt", (string?)labels["ontai.dev/cluster"]);
        Assert.Equal("node1", (string?)labels["ontai.dev/node"]);
        Assert.Equal("init", (string?)labels["ontai.dev/node-role"]);
        Assert.Equal("compiler", (string?)labels["ontai.dev/managed-by"]);
        Assert.NotNull(secret["stringData"]!["machineconfig.yaml"]);
    }

    [Fact]
    public async Task Handler_Bootstrap_TalosClusterCarriesModeRoleVersionsAndSchemelessEndpoint()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);
        var text = result.Read("ccs-mgmt.yaml");
        var cr = Yaml(text);

        Assert.Equal("seam.ontai.dev/v1alpha1", (string?)cr["apiVersion"]);
        Assert.Equal("TalosCluster", (string?)cr["kind"]);
        Assert.Equal("seam-system", (string?)cr["metadata"]!["namespace"]);
        Assert.Contains("ontai.dev/owns-runnerconfig: \"true\"", text, StringComparison.Ordinal);
        Assert.Contains("mode: bootstrap", text, StringComparison.Ordinal);
        Assert.Contains("role: tenant", text, StringComparison.Ordinal);
        Assert.Contains("kubernetesVersion: 1.30.0", text, StringComparison.Ordinal);
        Assert.Contains("clusterEndpoint: 10.20.0.10:6443", text, StringComparison.Ordinal);
        Assert.DoesNotContain("capi:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("controlPlane:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("seam-tenant-namespace.yaml", result.Files);
    }

    [Fact]
    public async Task Handler_Bootstrap_SequenceListsSecretsThenCluster()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);
        var configMap = Yaml(result.Read("bootstrap-sequence.yaml"));
        var sequence = Yaml(configMap["data"]!["sequence.yaml"]!.GetValue<string>());

        Assert.Equal("ConfigMap", (string?)configMap["kind"]);
        Assert.Equal("seam-bootstrap-sequence-ccs-mgmt", (string?)configMap["metadata"]!["name"]);
        Assert.Equal("seam-system", (string?)configMap["metadata"]!["namespace"]);
        Assert.Equal("ccs-mgmt", (string?)sequence["clusterName"]);
        var steps = sequence["steps"]!.AsArray();
        Assert.Equal([1L, 2L], steps.Select(s => s!["step"]!.GetValue<long>()));
        Assert.Equal(
            ["seam-mc-ccs-mgmt-node1.yaml", "seam-mc-ccs-mgmt-node2.yaml", "seam-mc-ccs-mgmt-node3.yaml", "seam-mc-ccs-mgmt-talosconfig.yaml"],
            steps[0]!["resources"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(["ccs-mgmt.yaml"], steps[1]!["resources"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public async Task Handler_NoInstallerImage_UsesTalosInstallerOfTheVersion()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);

        Assert.Equal("ghcr.io/siderolabs/installer:v1.7.0", (string?)MachineConfig(result, "seam-mc-ccs-mgmt-node1.yaml")["machine"]!["install"]!["image"]);
        Assert.Equal("/dev/sda", (string?)MachineConfig(result, "seam-mc-ccs-mgmt-node1.yaml")["machine"]!["install"]!["disk"]);
    }

    [Fact]
    public async Task Handler_TalosWithoutKubernetesVersion_TakesTheMatrixDefault()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.FiveNodeManagement, Plaintext);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kubernetesVersion: 1.32.3", result.Read("ccs-mgmt.yaml"), StringComparison.Ordinal);
        Assert.Equal("ghcr.io/siderolabs/kubelet:v1.32.3", (string?)MachineConfig(result, "seam-mc-ccs-mgmt-cp1.yaml")["machine"]!["kubelet"]!["image"]);
    }

    [Fact]
    public async Task Handler_CiliumMirrorsAndPatches_AreMergedIntoEveryNode()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.FiveNodeManagement, Plaintext);

        foreach (var file in result.Files.Where(f => f.StartsWith("seam-mc-ccs-mgmt-", StringComparison.Ordinal) && !f.Contains("talosconfig", StringComparison.Ordinal)))
        {
            var machine = MachineConfig(result, file)["machine"]!;
            Assert.Equal(["br_netfilter", "xt_socket"], machine["kernel"]!["modules"]!.AsArray().Select(m => (string?)m!["name"]));
            var sysctls = machine["sysctls"]!.AsObject();
            Assert.Equal("0", (string?)sysctls["net.ipv4.conf.all.rp_filter"]);
            Assert.Equal("0", (string?)sysctls["net.ipv4.conf.default.rp_filter"]);
            Assert.Equal("65535", (string?)sysctls["net.core.somaxconn"]);
            Assert.Equal("262144", (string?)sysctls["vm.max_map_count"]);
            var mirrors = machine["registries"]!["mirrors"]!;
            Assert.Equal("http://10.20.0.1:5000", (string?)mirrors["docker.io"]!["endpoints"]![0]);
            Assert.Equal("http://10.20.0.1:5000", (string?)mirrors["ghcr.io"]!["endpoints"]![0]);
        }
    }

    [Fact]
    public async Task Handler_NoCiliumPrerequisites_AddsNoKernelModules()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);
        var text = result.Read("seam-mc-ccs-mgmt-node1.yaml");

        Assert.DoesNotContain("br_netfilter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xt_socket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_Roles_ControlPlaneCarriesSecretsWorkerIsTrimmed()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.FiveNodeManagement, Plaintext);
        var init = MachineConfig(result, "seam-mc-ccs-mgmt-cp1.yaml");
        var controlPlane = MachineConfig(result, "seam-mc-ccs-mgmt-cp2.yaml");
        var worker = MachineConfig(result, "seam-mc-ccs-mgmt-w1.yaml");

        Assert.Equal("init", (string?)init["machine"]!["type"]);
        Assert.Equal("controlplane", (string?)controlPlane["machine"]!["type"]);
        Assert.Equal("worker", (string?)worker["machine"]!["type"]);
        Assert.NotNull(controlPlane["machine"]!["ca"]!["key"]);
        Assert.Null(worker["machine"]!["ca"]!["key"]);
        foreach (var key in new[] { "apiServer", "controllerManager", "scheduler", "proxy", "etcd", "aggregatorCA", "serviceAccount", "secretboxEncryptionSecret" })
        {
            Assert.NotNull(controlPlane["cluster"]![key]);
            Assert.Null(worker["cluster"]![key]);
        }
        Assert.Null(worker["cluster"]!["ca"]!["key"]);
        Assert.Equal("ccs-mgmt", (string?)worker["cluster"]!["clusterName"]);
        Assert.NotNull(controlPlane["machine"]!["nodeLabels"]);
        Assert.Null(worker["machine"]!["nodeLabels"]);
        // Every node shares one secrets bundle.
        Assert.Equal((string?)init["cluster"]!["id"], (string?)worker["cluster"]!["id"]);
        Assert.Equal((string?)init["machine"]!["ca"]!["crt"], (string?)worker["machine"]!["ca"]!["crt"]);
    }

    [Fact]
    public async Task Handler_SameSeed_SameBytes()
    {
        using var dir1 = new TemporaryDirectory();
        using var dir2 = new TemporaryDirectory();

        var first = await BootstrapHarness.RunAsync(dir1, ClusterInputs.FiveNodeManagement, Plaintext);
        var second = await BootstrapHarness.RunAsync(dir2, ClusterInputs.FiveNodeManagement, Plaintext);

        Assert.Equal(first.Files, second.Files);
        Assert.All(first.Files, f => Assert.Equal(first.Read(f), second.Read(f)));
    }

    [Fact]
    public async Task Handler_Plaintext_WarnsLoudlyOnStderr()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, Plaintext);

        Assert.Contains("WARNING", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("PLAIN TEXT", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_NoRecipientAndNoPlaintext_RefusesAndWritesNothing()
    {
        using var dir = new TemporaryDirectory();

        var result = await BootstrapHarness.RunAsync(dir, ClusterInputs.ThreeNodeTenant, []);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--age-recipient", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--plaintext", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Files);
    }

    [Fact]
    public async Task Handler_CapiEnabled_EmitsCapiBlock()
    {
        using var dir = new TemporaryDirectory();
        var input = ClusterInputs.ThreeNodeTenant + "\n" +
            """
            capi:
              enabled: true
              controlPlane:
                replicas: 3
                endpointVIP: 10.20.2.10
              workers:
              - name: default
                replicas: 2
                machines: [m1, m2]
              ciliumPackRef: {name: cilium-ccs-app, version: v1.16.0}
            """;

        var result = await BootstrapHarness.RunAsync(dir, input, Plaintext);
        var capi = Yaml(result.Read("ccs-mgmt.yaml"))["spec"]!["capi"]!;

        Assert.True((bool)capi["enabled"]!);
        Assert.Equal(3, (long)capi["controlPlane"]!["replicas"]!);
        var worker = Assert.Single(capi["workers"]!.AsArray())!;
        Assert.Equal("default", (string?)worker["name"]);
        Assert.Equal(2, (long)worker["replicas"]!);
        Assert.Equal(["m1", "m2"], worker["seamInfrastructureMachineNames"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("cilium-ccs-app", (string?)capi["ciliumPackRef"]!["name"]);
    }

    [Fact]
    public async Task Handler_ManagementFixtureWithoutItsMachineConfigs_ReportsEachMissingFile()
    {
        using var dir = new TemporaryDirectory();
        var fixture = SharedFixtures.PathOf("docs-configs-cluster-input-management.yaml");

        var result = await BootstrapHarness.RunFileAsync(dir.Path, fixture, Plaintext, BootstrapHarness.Services(dir.Path));

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        foreach (var host in new[] { "management-cp1", "management-cp2", "management-cp3", "management-w1", "management-w2" })
        {
            Assert.Contains($"machineConfigPaths.{host}: './machine-configs/{host}.yaml': the file does not exist", result.Stderr, StringComparison.Ordinal);
        }
        Assert.Empty(result.Files);
    }
}
