using System.Text.Json;
using Conductor.Runner.Results;
using Conductor.TestSupport.Processes;
using k8s;
using k8s.Models;

namespace Conductor.Executor.Tests.Execution;

/// <summary>The built conductor-execute playing a Job's pod against the real kube-apiserver.</summary>
public sealed class JobRunTests(ResultNamespace server) : IClassFixture<ResultNamespace>
{
    private const string Program = "conductor-execute";

    private Dictionary<string, string?> Job(string configMap, string capability, string? parameters) => new()
    {
        ["KUBECONFIG"] = server.Kubeconfig,
        ["POD_NAMESPACE"] = server.Name,
        ["RESULT_CONFIGMAP"] = configMap,
        ["CAPABILITY"] = capability,
        ["CLUSTER_REF"] = "ccs-dev",
        ["STEP_NAME"] = "step-one",
        ["STEP_PARAMETERS"] = parameters,
    };

    private async Task<(ProgramResult Run, OperationResult Result, V1ConfigMap ConfigMap)> RunJobAsync(Dictionary<string, string?> environment)
    {
        var run = await ProgramRunner.RunAsync(Program, [], environment, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.ToString());
        var configMap = await server.Client.CoreV1.ReadNamespacedConfigMapAsync(environment["RESULT_CONFIGMAP"], server.Name,
            cancellationToken: TestContext.Current.CancellationToken);
        return (run, OperationResultJson.Deserialize(configMap.Data["result"]), configMap);
    }

    [Fact]
    public async Task Run_RegisteredButNotImplemented_RecordsCapabilityUnavailableDocument()
    {
        var (_, result, configMap) = await RunJobAsync(Job("job-not-implemented", "etcd-backup", """{"bucket":"ont-backups"}"""));

        Assert.Equal("etcd-backup", result.Capability);
        Assert.Equal("", result.Phase);
        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Equal(FailureCategory.CapabilityUnavailable, result.FailureReason!.Category);
        Assert.Contains("not implemented in this image", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.True(result.StartedAt <= result.CompletedAt);
        Assert.Empty(result.Artifacts);
        Assert.Empty(result.Steps);
        using var document = JsonDocument.Parse(configMap.Data["result"]);
        Assert.Equal(
            ["capability", "phase", "status", "startedAt", "completedAt", "artifacts", "failureReason", "steps"],
            document.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("etcd-backup", configMap.Metadata.Labels["seam.ontai.dev/capability"]);
        Assert.Equal("ccs-dev", configMap.Metadata.Labels["seam.ontai.dev/cluster"]);
        Assert.Equal("step-one", configMap.Metadata.Labels["seam.ontai.dev/step"]);
    }

    [Fact]
    public async Task Run_UnknownCapability_RecordsCapabilityUnavailableBeforeValidation()
    {
        var environment = Job("job-unknown", "node-teleport", "not json");
        environment["CLUSTER_REF"] = null;

        var (_, result, configMap) = await RunJobAsync(environment);

        Assert.Equal(FailureCategory.CapabilityUnavailable, result.FailureReason!.Category);
        Assert.StartsWith("capability 'node-teleport' is not in the catalog", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Equal("node-teleport", result.Capability);
        Assert.False(configMap.Metadata.Labels.ContainsKey("seam.ontai.dev/cluster"));
    }

    [Fact]
    public async Task Run_PackCompile_RecordsCompileOnlyUnavailable()
    {
        var (_, result, _) = await RunJobAsync(Job("job-pack-compile", "pack-compile", null));

        Assert.Equal(FailureCategory.CapabilityUnavailable, result.FailureReason!.Category);
        Assert.Contains("compile-only", result.FailureReason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadParameters_RecordsValidationFailureNamingEachParameter()
    {
        var (_, result, _) = await RunJobAsync(Job("job-bad-parameters", "node-scale-up", """{"replicaCount":"five","colour":"blue"}"""));

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains("parameter 'replicaCount' must be an integer", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Contains("parameter 'colour' is not accepted", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.StartsWith("step step-one (node-scale-up) cannot run:", result.FailureReason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingClusterRef_RecordsValidationFailureNamingVariable()
    {
        var environment = Job("job-no-cluster", "etcd-defrag", null);
        environment["CLUSTER_REF"] = null;

        var (_, result, _) = await RunJobAsync(environment);

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains("CLUSTER_REF is required and not set", result.FailureReason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ResultConfigMapExists_ReplacesResult()
    {
        await RunJobAsync(Job("job-retried", "node-teleport", null));

        var (_, result, configMap) = await RunJobAsync(Job("job-retried", "etcd-defrag", null));

        Assert.Equal("etcd-defrag", result.Capability);
        Assert.Equal("etcd-defrag", configMap.Metadata.Labels["seam.ontai.dev/capability"]);
    }

    [Fact]
    public async Task Run_NoResultConfigMapName_ExitsOneNamingVariable()
    {
        var environment = Job("unused", "etcd-defrag", null);
        environment["RESULT_CONFIGMAP"] = null;

        var run = await ProgramRunner.RunAsync(Program, [], environment, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("RESULT_CONFIGMAP is required and not set", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ApiServerUnreachable_ExitsOne()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"unreachable-{Guid.NewGuid():N}.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: gone
              cluster:
                server: https://127.0.0.1:1
                insecure-skip-tls-verify: true
            users:
            - name: nobody
              user:
                token: none
            contexts:
            - name: gone
              context:
                cluster: gone
                user: nobody
            current-context: gone
            """, TestContext.Current.CancellationToken);
        try
        {
            var environment = Job("job-unreachable", "etcd-defrag", null);
            environment["KUBECONFIG"] = kubeconfig;

            var run = await ProgramRunner.RunAsync(Program, [], environment, cancellationToken: TestContext.Current.CancellationToken);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("Could not record the result in ConfigMap", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
