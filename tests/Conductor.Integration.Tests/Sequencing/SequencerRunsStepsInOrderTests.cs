using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using Conductor.Runner;
using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>A three-step RunnerConfig with dependsOn runs one Job at a time, in order, and ends Completed.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerRunsStepsInOrderTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Reconcile_ThreeStepsSucceed_OneJobEachInOrderThenCompleted()
    {
        const string name = "three-steps";
        var config = await scenario.CreateAsync(name, [Step("backup", "etcd-backup") with { Parameters = new Dictionary<string, string> { ["bucket"] = "ont-backups" } },
            Step("defrag", dependsOn: "backup"), Step("verify", dependsOn: ["backup", "defrag"])]);

        var first = await scenario.WaitForJobAsync(name, "backup");
        Assert.Single(await scenario.JobsAsync(name));
        var container = Assert.Single(first.Spec.Template.Spec.Containers);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("etcd-backup", "ccs-dev", "backup", """{"bucket":"ont-backups"}""", first.Metadata.Name),
            (env["CAPABILITY"], env["CLUSTER_REF"], env["STEP_NAME"], env["STEP_PARAMETERS"], env["RESULT_CONFIGMAP"]));
        Assert.Equal("registry.local/conductor-exec:v1.9.3", container.Image);
        Assert.Equal(0, first.Spec.BackoffLimit);
        Assert.Equal("conductor-steps", first.Metadata.Labels[JobProtocol.QueueNameLabel]);
        Assert.Equal((name, scenario.Namespace), (first.Metadata.Labels[JobProtocol.RunnerConfigLabel], first.Metadata.Labels[JobProtocol.RunnerConfigNamespaceLabel]));
        Assert.Equal(config.Metadata.Uid, Assert.Single(first.Metadata.OwnerReferences).Uid);
        Assert.Equal(["seam-mc-ccs-dev-kubeconfig", "seam-mc-ccs-dev-talosconfig"], first.Spec.Template.Spec.Volumes.Select(v => v.Secret.SecretName));
        Assert.True(first.Metadata.Name.Length <= JobNames.MaxNameLength);

        await scenario.SucceedAsync(first);
        var second = await scenario.WaitForJobAsync(name, "defrag");
        var afterFirst = await scenario.ReadAsync(name);
        Assert.Equal(StepPhase.Succeeded, afterFirst.Status!.StepResults![0].Phase);
        Assert.Equal($"{scenario.Namespace}/{first.Metadata.Name}", afterFirst.Status.StepResults[0].OutputRef);
        Assert.Equal("Succeeded", afterFirst.Status.StepResults[0].Result!.Value.GetProperty("status").GetString());
        await scenario.SucceedAsync(second);
        await scenario.SucceedAsync(await scenario.WaitForJobAsync(name, "verify"));

        var done = await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Completed, "Completed");
        Assert.Equal(["backup", "defrag", "verify"], done.Status!.StepResults!.Select(r => r.StepName));
        Assert.All(done.Status.StepResults!, r => Assert.Equal(StepPhase.Succeeded, r.Phase));
        var completed = Assert.Single(done.Status.Conditions!, c => c.Type == ConditionTypes.Completed);
        Assert.Equal(("True", ConditionReasons.StepsCompleted), (completed.Status, completed.Reason));
        Assert.Equal(3, (await scenario.JobsAsync(name)).Count);
    }
}
