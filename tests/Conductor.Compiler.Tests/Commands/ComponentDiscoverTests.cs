using System.CommandLine;
using Conductor.Compiler.Commands;
using Conductor.Compiler.Tests.Kubernetes;
using Conductor.TestSupport;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// <c>compiler component --discover</c> against the real kube-apiserver: look-alike cert-manager, Kueue and Cilium
/// workloads in namespaces of this class (they never run: the test server has no kubelet) are found, decoys are not.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class ComponentDiscoverTests(KubeFixture kube) : IAsyncLifetime
{
    private readonly TestNamespace _certs = new(kube);
    private readonly TestNamespace _batch = new(kube);
    private readonly List<Func<Task>> _cleanup = [];

    public async ValueTask InitializeAsync()
    {
        await _certs.InitializeAsync();
        await _batch.InitializeAsync();
        await DeploymentAsync(_certs.Name, "cert-manager", new() { ["app.kubernetes.io/name"] = "cert-manager", ["app.kubernetes.io/component"] = "controller" });
        await DeploymentAsync(_certs.Name, "cert-manager-cainjector", new() { ["app.kubernetes.io/name"] = "cainjector", ["app.kubernetes.io/component"] = "cainjector" });
        // A webhook of someone else: the generic name label alone is not cert-manager's.
        await DeploymentAsync(_certs.Name, "webhook", new() { ["app.kubernetes.io/name"] = "webhook" });
        await DeploymentAsync(_batch.Name, "kueue-controller-manager", new() { ["app.kubernetes.io/name"] = "kueue", ["control-plane"] = "controller-manager" });
        // A kubebuilder operator that is not Kueue.
        await DeploymentAsync(_batch.Name, "other-controller-manager", new() { ["control-plane"] = "controller-manager" });
        await DaemonSetAsync(_batch.Name, "cilium", new() { ["k8s-app"] = "cilium" });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cleanup in _cleanup)
        {
            await cleanup();
        }
        await _batch.DisposeAsync();
        await _certs.DisposeAsync();
    }

    [Fact]
    public async Task Discover_OneNamespace_ReportsExactlyItsComponents()
    {
        var run = await CommandRun.InvokeAsync(null, "component", "--discover", "--namespace", _certs.Name);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"Scanned 3 Deployment(s) and 0 DaemonSet(s) in namespace {_certs.Name}.\n", run.Stdout);
        Assert.Contains(
            "Deployed:\n" +
            $"  cert-manager v1.16 in namespace {_certs.Name}: Deployment/cert-manager, Deployment/cert-manager-cainjector; not seen: Deployment/cert-manager-webhook\n\n" +
            "Not deployed: cilium, cnpg, kueue, local-path-provisioner, metallb\n\n" +
            "Write their PermissionSets and RBACProfiles with:\n" +
            $"  compiler component --component cert-manager={_certs.Name} --namespace <namespace> --target-clusters <clusters> --rbac-policy-ref <policy> --output <dir>\n",
            run.Stdout);
        Assert.Contains($"(kubeconfig {Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)}, from $KUBECONFIG)", run.Stdout);
    }

    [Fact]
    public async Task Discover_AllNamespaces_FindsEveryLookAlikeAndNoDecoy()
    {
        var run = await CommandRun.InvokeAsync(null, "component", "--discover");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n');
        Assert.Contains($"  cert-manager v1.16 in namespace {_certs.Name}: Deployment/cert-manager, Deployment/cert-manager-cainjector; not seen: Deployment/cert-manager-webhook", lines);
        Assert.Contains($"  cilium v1.16 in namespace {_batch.Name}: DaemonSet/cilium; not seen: Deployment/cilium-operator", lines);
        Assert.Contains($"  kueue v0.9 in namespace {_batch.Name}: Deployment/kueue-controller-manager", lines);
        Assert.Equal(3, lines.Count(line => line.Contains(_certs.Name + ":", StringComparison.Ordinal) || line.Contains(_batch.Name + ":", StringComparison.Ordinal)));
        Assert.Contains("in all namespaces.", run.Stdout);
    }

    [Fact]
    public async Task Discover_FlagGiven_WinsOverEnvironmentAndHome()
    {
        var real = Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)!;
        var environment = new Component.HostEnvironment(_ => "/nonexistent/env-kubeconfig", "/nonexistent-home");

        var run = await KubeconfigResolutionTests.InvokeAsync(environment, "component", "--discover", "--namespace", _batch.Name, "--kubeconfig", real);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"(kubeconfig {real}, from --kubeconfig)", run.Stdout);
        Assert.Contains($"  kueue v0.9 in namespace {_batch.Name}: Deployment/kueue-controller-manager\n", run.Stdout);
    }

    [Fact]
    public async Task Discover_ReadOnly_NothingCreatedOrChanged()
    {
        var before = await kube.Client.AppsV1.ListNamespacedDeploymentAsync(_batch.Name, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, (await CommandRun.InvokeAsync(null, "component", "--discover", "--namespace", _batch.Name)).ExitCode);

        var after = await kube.Client.AppsV1.ListNamespacedDeploymentAsync(_batch.Name, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(before.Items.Select(d => d.Metadata.ResourceVersion), after.Items.Select(d => d.Metadata.ResourceVersion));
    }

    private async Task DeploymentAsync(string ns, string name, Dictionary<string, string> labels)
    {
        await kube.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = labels }, Template = Pod(labels) },
        }, ns);
        _cleanup.Add(() => kube.Client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns));
    }

    private async Task DaemonSetAsync(string ns, string name, Dictionary<string, string> labels)
    {
        await kube.Client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = labels }, Template = Pod(labels) },
        }, ns);
        _cleanup.Add(() => kube.Client.AppsV1.DeleteNamespacedDaemonSetAsync(name, ns));
    }

    private static V1PodTemplateSpec Pod(Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "registry.invalid/never-runs:0" }] },
    };
}

/// <summary>Which kubeconfig <c>--discover</c> uses (flag, then $KUBECONFIG, then ~/.kube/config), seen through the file its error names.</summary>
public sealed class KubeconfigResolutionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    internal static async Task<CommandRun> InvokeAsync(Component.HostEnvironment environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = new RootCommand { Component.Create(environment) };
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, TestContext.Current.CancellationToken);
        return new CommandRun(code, stdout.ToString(), stderr.ToString());
    }

    private Component.HostEnvironment Environment(string? variable) =>
        new(name => name == "KUBECONFIG" ? variable : null, _directory.File("home"));

    [Fact]
    public async Task Discover_FlagEnvironmentAndHomeAllSet_UsesFlag()
    {
        var flag = _directory.File("flag-config");

        var run = await InvokeAsync(Environment(_directory.File("env-config")), "component", "--discover", "--kubeconfig", flag);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"compiler component: discover: kubeconfig '{flag}' (from --kubeconfig) does not exist", run.Stderr);
    }

    [Fact]
    public async Task Discover_EnvironmentAndHomeSet_UsesEnvironmentVerbatim()
    {
        var variable = _directory.File("env-config") + ":" + _directory.File("second");

        var run = await InvokeAsync(Environment(variable), "component", "--discover");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"kubeconfig '{variable}' (from $KUBECONFIG) does not exist", run.Stderr);
    }

    [Fact]
    public async Task Discover_OnlyHome_UsesDotKubeConfig()
    {
        var run = await InvokeAsync(Environment(null), "component", "--discover");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"kubeconfig '{_directory.File("home", ".kube", "config")}' (from the default path ~/.kube/config) does not exist", run.Stderr);
    }

    [Fact]
    public async Task Discover_NothingResolvable_SaysWhereToSetIt()
    {
        var run = await InvokeAsync(new Component.HostEnvironment(_ => null, null), "component", "--discover");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("no kubeconfig: pass --kubeconfig, set $KUBECONFIG, or create ~/.kube/config", run.Stderr);
    }

    [Fact]
    public async Task Discover_KubeconfigNotAKubeconfig_NamesFileAndSource()
    {
        var path = _directory.File("garbage");
        await File.WriteAllTextAsync(path, "this: [is not, a kubeconfig", TestContext.Current.CancellationToken);

        var run = await InvokeAsync(Environment(path), "component", "--discover");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"kubeconfig '{path}' (from $KUBECONFIG) cannot be used", run.Stderr);
    }

    [Fact]
    public async Task Discover_ServerUnreachable_Exit1NamesServerAndKubeconfig()
    {
        var real = System.Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable)
            ?? throw new InvalidOperationException($"KUBECONFIG is not set. {KubeFixture.StartHint}");
        var port = Conductor.TestSupport.Network.FreePort.Next();
        var path = _directory.File("unreachable");
        await File.WriteAllTextAsync(path, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(real), @"https://127\.0\.0\.1:\d+", $"https://127.0.0.1:{port}"),
            TestContext.Current.CancellationToken);

        var run = await InvokeAsync(Environment(null), "component", "--discover", "--kubeconfig", path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"cannot reach the Kubernetes API at https://127.0.0.1:{port}", run.Stderr);
        Assert.Contains($"kubeconfig '{path}' from --kubeconfig", run.Stderr);
    }
}
