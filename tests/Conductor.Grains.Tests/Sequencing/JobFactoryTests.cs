using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using static Conductor.Grains.Tests.Sequencing.Specs;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class JobFactoryTests
{
    private static readonly SequencerOptions Options = new();

    [Fact]
    public void Build_Step_CarriesTheJobProtocol()
    {
        var step = Step("backup", "etcd-backup") with { Parameters = new Dictionary<string, string> { ["bucket"] = "b" } };
        var config = Config(step);

        var job = JobFactory.Build(config, step, "ccs-dev-backup-1-abcdef12", 1, Options);

        Assert.Equal("ont-system", job.Metadata.NamespaceProperty);
        Assert.Equal("conductor-steps", job.Metadata.Labels["kueue.x-k8s.io/queue-name"]);
        Assert.Equal("ccs-dev", job.Metadata.Labels["seam.ontai.dev/runnerconfig"]);
        Assert.Equal("ont-system", job.Metadata.Labels["seam.ontai.dev/runnerconfig-namespace"]);
        Assert.Equal("backup", job.Metadata.Labels["seam.ontai.dev/step"]);
        Assert.Equal("1", job.Metadata.Labels["seam.ontai.dev/attempt"]);
        Assert.Equal("ont-system/ccs-dev", job.Metadata.Annotations[JobFactory.RunnerConfigKeyAnnotation]);
        Assert.True(job.Spec.Suspend);
        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal(600, job.Spec.TtlSecondsAfterFinished);
        var owner = Assert.Single(job.Metadata.OwnerReferences);
        Assert.Equal(("RunnerConfig", "ccs-dev", "uid-1", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("registry.local/conductor-exec:v1.9.3", container.Image);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("etcd-backup", env["CAPABILITY"]);
        Assert.Equal("ccs-dev", env["CLUSTER_REF"]);
        Assert.Equal("backup", env["STEP_NAME"]);
        Assert.Equal("""{"bucket":"b"}""", env["STEP_PARAMETERS"]);
        Assert.Equal("ccs-dev-backup-1-abcdef12", env["RESULT_CONFIGMAP"]);
        Assert.Equal("metadata.namespace", container.Env.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void Build_TalosCapability_TalosconfigRequiredKubeconfigOptional()
    {
        var step = Step("defrag", "etcd-defrag");

        var volumes = JobFactory.Build(Config(step), step, "j", 1, Options).Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);

        Assert.Equal(("seam-mc-ccs-dev-talosconfig", false), (volumes["talosconfig"].Secret.SecretName, volumes["talosconfig"].Secret.Optional == true));
        Assert.Equal(("seam-mc-ccs-dev-kubeconfig", true), (volumes["kubeconfig"].Secret.SecretName, volumes["kubeconfig"].Secret.Optional == true));
    }

    [Fact]
    public void Build_RunnerConfigInAnotherNamespace_NoOwnerReference()
    {
        var step = Step("a");
        var config = Config(step);
        config.Metadata.NamespaceProperty = "elsewhere";

        Assert.Null(JobFactory.Build(config, step, "j", 1, Options).Metadata.OwnerReferences);
    }

    [Fact]
    public void Affinity_SelfOperation_ExcludesTargetsAndLeader()
    {
        var spec = Config(Step("a")).Spec with { SelfOperation = true, MaintenanceTargetNodes = ["cp-1", "cp-2"], OperatorLeaderNode = "cp-3" };

        var requirement = Assert.Single(Assert.Single(JobFactory.Affinity(spec)!.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions);

        Assert.Equal(("kubernetes.io/hostname", "NotIn"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["cp-1", "cp-2", "cp-3"], requirement.Values);
    }

    [Fact]
    public void Affinity_NotSelfOperation_Absent()
    {
        var spec = Config(Step("a")).Spec with { SelfOperation = false, MaintenanceTargetNodes = ["cp-1"], OperatorLeaderNode = "cp-3" };

        Assert.Null(JobFactory.Affinity(spec));
    }

    [Fact]
    public void Affinity_SelfOperationNothingToExclude_Absent()
    {
        Assert.Null(JobFactory.Affinity(Config(Step("a")).Spec with { SelfOperation = true }));
    }
}
