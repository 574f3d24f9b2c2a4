using Conductor.Compiler.Tests.ClusterAccess;
using Conductor.Compiler.Yaml;
using Conductor.TestSupport;
using Conductor.TestSupport.Network;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// <c>compiler maintenance</c> against the real kube-apiserver. The Lease seam-system/platform-leader is shared
/// state, so every test of this class (xUnit runs them one at a time) creates it and removes it again; nodes get
/// names unique to the test.
/// </summary>
public sealed class MaintenanceTests : IAsyncLifetime
{
    private const string SeamSystem = "seam-system";
    private const string Lease = "platform-leader";
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly TemporaryDirectory _dir = new();
    private TestCluster _cluster = null!;

    private string Pod => $"platform-{_id}";

    private string LeaderNode => $"leader-{_id}";

    private string Worker(int i) => $"worker-{_id}-{i}";

    public async ValueTask InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.EnsureNamespaceAsync(SeamSystem);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private async Task LeaderAsync()
    {
        await _cluster.CreateLeaseAsync(SeamSystem, Lease, $"{Pod}_test-uid");
        await _cluster.CreatePodAsync(SeamSystem, Pod, LeaderNode);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["maintenance", "--output", _dir.File("out"), .. arguments];
        if (!arguments.Contains("--kubeconfig"))
        {
            args = [.. args, "--kubeconfig", _cluster.Kubeconfig];
        }
        var parse = CompilerCommandLine.Build().Parse(args);
        Assert.Empty(parse.Errors);
        var exit = await Conductor.Compiler.Commands.Maintenance.Handler(stdout, stderr, parse, _ => null, null, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private void AssertNothingWritten() => Assert.False(Directory.Exists(_dir.File("out")));

    [Fact]
    public async Task Handler_Drain_WritesBundleWithLeaderNodeAndTargets()
    {
        await LeaderAsync();
        await _cluster.CreateNodeAsync(Worker(1));

        var (exit, _, stderr) = await RunAsync("--operation", "drain", "--cluster", "ccs-test", "--nodes", Worker(1));
        var text = await File.ReadAllTextAsync(_dir.File("out/ccs-test-drain.yaml"), TestContext.Current.CancellationToken);
        var bundle = (System.Text.Json.Nodes.JsonObject)YamlReader.ReadFirstDocument(text)!;

        Assert.True(exit == 0, stderr);
        Assert.Equal("seam.ontai.dev/v1alpha1", (string?)bundle["apiVersion"]);
        Assert.Equal("MaintenanceBundle", (string?)bundle["kind"]);
        Assert.Equal("ccs-test-drain", (string?)bundle["metadata"]!["name"]);
        Assert.Equal("seam-system", (string?)bundle["metadata"]!["namespace"]);
        Assert.Equal("ccs-test", (string?)bundle["spec"]!["clusterRef"]!["name"]);
        Assert.Equal("drain", (string?)bundle["spec"]!["operation"]);
        Assert.Equal(LeaderNode, (string?)bundle["spec"]!["operatorLeaderNode"]);
        Assert.Equal([Worker(1)], bundle["spec"]!["maintenanceTargetNodes"]!.AsArray().Select(n => (string?)n));
        Assert.Null(bundle["spec"]!["s3ConfigSecretRef"]);
    }

    [Fact]
    public async Task Handler_EtcdBackup_ChecksTargetsAndS3SecretAndReferencesIt()
    {
        await LeaderAsync();
        await _cluster.CreateNodeAsync(Worker(1));
        await _cluster.CreateNodeAsync(Worker(2));
        await _cluster.CreateSecretAsync(_cluster.Namespace, "etcd-s3");

        var (exit, _, stderr) = await RunAsync(
            "--operation", "etcd-backup", "--cluster", "ccs-test", "--nodes", $"{Worker(1)}, {Worker(2)}", "--s3-secret", $"{_cluster.Namespace}/etcd-s3");
        var bundle = YamlReader.ReadFirstDocument(await File.ReadAllTextAsync(_dir.File("out/ccs-test-etcd-backup.yaml"), TestContext.Current.CancellationToken))!;

        Assert.True(exit == 0, stderr);
        Assert.Equal("etcd-backup", (string?)bundle["spec"]!["operation"]);
        Assert.Equal([Worker(1), Worker(2)], bundle["spec"]!["maintenanceTargetNodes"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("etcd-s3", (string?)bundle["spec"]!["s3ConfigSecretRef"]!["name"]);
        Assert.Equal(_cluster.Namespace, (string?)bundle["spec"]!["s3ConfigSecretRef"]!["namespace"]);
    }

    [Fact]
    public async Task Handler_Upgrade_WritesBundleNamedForClusterAndOperation()
    {
        await LeaderAsync();

        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-prod");
        var text = await File.ReadAllTextAsync(_dir.File("out/ccs-prod-upgrade.yaml"), TestContext.Current.CancellationToken);

        Assert.True(exit == 0, stderr);
        Assert.Contains("operation: upgrade", text, StringComparison.Ordinal);
        Assert.Contains("name: ccs-prod", text, StringComparison.Ordinal);
        Assert.DoesNotContain("maintenanceTargetNodes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_UnknownOperation_ListsTheFourValidOnesWithoutConnecting()
    {
        var (exit, _, stderr) = await RunAsync("--operation", "reboot-cluster", "--cluster", "ccs-test", "--kubeconfig", _dir.File("absent"));

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("'reboot-cluster' is not an operation; use one of drain, upgrade, etcd-backup, machineconfig-rotation", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_MissingLease_SaysThePlatformOperatorMustRun()
    {
        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("Lease seam-system/platform-leader does not exist: the Platform operator must be running", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_LeaseWithoutHolder_SaysNoLeader()
    {
        await _cluster.CreateLeaseAsync(SeamSystem, Lease, holder: null);

        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("has no holder (spec.holderIdentity is empty)", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_HolderPodMissing_SaysTheLeaseIsStale()
    {
        await _cluster.CreateLeaseAsync(SeamSystem, Lease, $"{Pod}_uid");

        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"Pod seam-system/{Pod} does not exist: the lease is stale", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_LeaderPodNotScheduled_SaysItHasNoNode()
    {
        await _cluster.CreateLeaseAsync(SeamSystem, Lease, Pod);
        await _cluster.CreatePodAsync(SeamSystem, Pod, nodeName: null);

        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("is not scheduled to a node yet (spec.nodeName is empty)", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_UnknownTargetNode_NamesIt()
    {
        await LeaderAsync();
        await _cluster.CreateNodeAsync(Worker(1));

        var (exit, _, stderr) = await RunAsync("--operation", "drain", "--cluster", "ccs-test", "--nodes", $"{Worker(1)},{Worker(9)}");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"target node \"{Worker(9)}\" does not exist in the cluster", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_EtcdBackupWithoutS3Secret_SaysToCreateIt()
    {
        await LeaderAsync();

        var (exit, _, stderr) = await RunAsync("--operation", "etcd-backup", "--cluster", "ccs-test", "--s3-secret", $"{_cluster.Namespace}/absent");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"S3 configuration Secret {_cluster.Namespace}/absent does not exist: create it", stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_UnreachableCluster_SaysSoAndNamesTheKubeconfig()
    {
        var kubeconfig = _dir.File("unreachable.kubeconfig");
        var text = await File.ReadAllTextAsync(_cluster.Kubeconfig, TestContext.Current.CancellationToken);
        var server = System.Text.RegularExpressions.Regex.Replace(text, "server: https://[^\\s]+", $"server: https://127.0.0.1:{FreePort.Next()}");
        await File.WriteAllTextAsync(kubeconfig, server, TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test", "--kubeconfig", kubeconfig);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("cannot reach the Kubernetes API at https://127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.Contains(kubeconfig, stderr, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task Handler_MissingKubeconfig_NamesThePathAndWhereItCameFrom()
    {
        var (exit, _, stderr) = await RunAsync("--operation", "upgrade", "--cluster", "ccs-test", "--kubeconfig", _dir.File("absent"));

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"kubeconfig '{_dir.File("absent")}' (from --kubeconfig) does not exist", stderr, StringComparison.Ordinal);
    }
}
