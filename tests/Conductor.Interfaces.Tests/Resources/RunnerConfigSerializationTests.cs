using System.Text.Json;
using Conductor.Resources.Seam;
using k8s;
using k8s.Models;

namespace Conductor.Interfaces.Tests.Resources;

public sealed class RunnerConfigSerializationTests
{
    private const string Golden =
        """{"apiVersion":"seam.ontai.dev/v1alpha1","kind":"RunnerConfig","metadata":{"name":"ccs-dev","namespace":"ont-system"},"spec":{"clusterRef":"ccs-dev","agentImage":"10.20.0.1:5000/ontai-dev/conductor-exec:v1.9.3","phases":[{"name":"launch","parameters":{"mode":"fresh"}}],"steps":[{"name":"backup","capability":"etcd-backup","parameters":{"bucket":"etcd"},"haltOnFailure":true},{"name":"upgrade","capability":"talos-upgrade","dependsOn":["backup"],"haltOnFailure":false}],"operationalHistory":[{"appliedAt":"2024-05-06T07:08:09Z","concern":"talosVersion","previousValue":"v1.9.2","newValue":"v1.9.3","appliedBy":"platform"}],"maintenanceTargetNodes":["w1"],"operatorLeaderNode":"cp1","selfOperation":true},"status":{"capabilities":[{"name":"etcd-backup","version":"1.0.0","description":"Snapshot etcd to S3","parameters":{"type":"object"}}],"agentVersion":"1.0.0","agentLeader":"conductor-0","conditions":[{"lastTransitionTime":"2024-05-06T07:08:09Z","message":"Step upgrade failed","reason":"StepFailed","status":"True","type":"Failed"}],"phase":"Failed","failedStep":"upgrade","stepResults":[{"stepName":"backup","phase":"Succeeded","outputRef":"ont-system/backup-ccs-dev","result":{"status":"Succeeded"}},{"stepName":"upgrade","phase":"Failed"}]}}""";

    private static readonly DateTimeOffset At = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void Serialize_FullRunnerConfig_MatchesGoldenJson() =>
        Assert.Equal(Golden, KubernetesJson.Serialize(Sample()));

    [Fact]
    public void Deserialize_GoldenJson_ReadsEveryField()
    {
        var config = KubernetesJson.Deserialize<RunnerConfig>(Golden);

        Assert.Equal("ccs-dev", config.Spec.ClusterRef);
        Assert.Equal(["backup"], config.Spec.Steps![1].DependsOn!);
        Assert.True(config.Spec.Steps[0].HaltOnFailure);
        Assert.Equal(At, config.Spec.OperationalHistory![0].AppliedAt);
        Assert.Equal(RunnerConfigPhase.Failed, config.Status!.Phase);
        Assert.Equal(StepPhase.Succeeded, config.Status.StepResults![0].Phase);
        Assert.Equal("Succeeded", config.Status.StepResults[0].Result!.Value.GetProperty("status").GetString());
        Assert.Null(config.Status.StepResults[1].Result);
        Assert.Equal("object", config.Status.Capabilities![0].Parameters!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public void Serialize_UnsetOptionalFields_OmitsThem()
    {
        var config = new RunnerConfig { Spec = new RunnerConfigSpec { ClusterRef = "c", AgentImage = "i" } };

        Assert.Equal(
            """{"apiVersion":"seam.ontai.dev/v1alpha1","kind":"RunnerConfig","metadata":{},"spec":{"clusterRef":"c","agentImage":"i","selfOperation":false}}""",
            KubernetesJson.Serialize(config));
    }

    [Fact]
    public void Serialize_PlainSystemTextJson_UsesTheSameNames()
    {
        // Enum converters and names are on the types, so code that bypasses KubernetesJson agrees with the API.
        var json = JsonSerializer.Serialize(new StepResult { StepName = "s", Phase = StepPhase.Skipped });

        Assert.Equal("""{"stepName":"s","phase":"Skipped","outputRef":null,"result":null}""", json);
    }

    private static RunnerConfig Sample() => new()
    {
        Metadata = new V1ObjectMeta { Name = "ccs-dev", NamespaceProperty = "ont-system" },
        Spec = new RunnerConfigSpec
        {
            ClusterRef = "ccs-dev",
            AgentImage = "10.20.0.1:5000/ontai-dev/conductor-exec:v1.9.3",
            Phases = [new RunnerPhase { Name = "launch", Parameters = new Dictionary<string, string> { ["mode"] = "fresh" } }],
            Steps =
            [
                new RunnerStep
                {
                    Name = "backup", Capability = "etcd-backup", HaltOnFailure = true,
                    Parameters = new Dictionary<string, string> { ["bucket"] = "etcd" },
                },
                new RunnerStep { Name = "upgrade", Capability = "talos-upgrade", DependsOn = ["backup"] },
            ],
            OperationalHistory =
            [
                new OperationalHistoryEntry
                {
                    AppliedAt = At, Concern = "talosVersion", PreviousValue = "v1.9.2", NewValue = "v1.9.3", AppliedBy = "platform",
                },
            ],
            MaintenanceTargetNodes = ["w1"],
            OperatorLeaderNode = "cp1",
            SelfOperation = true,
        },
        Status = new RunnerConfigStatus
        {
            Capabilities =
            [
                new CapabilityDeclaration
                {
                    Name = "etcd-backup", Version = "1.0.0", Description = "Snapshot etcd to S3",
                    Parameters = JsonDocument.Parse("""{"type":"object"}""").RootElement,
                },
            ],
            AgentVersion = "1.0.0",
            AgentLeader = "conductor-0",
            Conditions =
            [
                new V1Condition
                {
                    Type = "Failed", Status = "True", Reason = "StepFailed", Message = "Step upgrade failed",
                    LastTransitionTime = At.UtcDateTime,
                },
            ],
            Phase = RunnerConfigPhase.Failed,
            FailedStep = "upgrade",
            StepResults =
            [
                new StepResult
                {
                    StepName = "backup", Phase = StepPhase.Succeeded, OutputRef = "ont-system/backup-ccs-dev",
                    Result = JsonDocument.Parse("""{"status":"Succeeded"}""").RootElement,
                },
                new StepResult { StepName = "upgrade", Phase = StepPhase.Failed },
            ],
        },
    };
}
