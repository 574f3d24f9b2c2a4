using Conductor.Resources.Seam;
using Conductor.Runner;
using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>A failed step, recorded by the real conductor-execute, with haltOnFailure on and off.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerHaltOnFailureTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Reconcile_HaltingStepFails_LaterStepsSkippedNoMoreJobs()
    {
        const string name = "halt-on";
        await scenario.CreateAsync(name, [Step("defrag", halt: true), Step("independent"), Step("after", dependsOn: "defrag")]);

        await scenario.RunExecutorAsync(await scenario.WaitForJobAsync(name, "defrag"));

        var done = await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Failed, "Failed");
        Assert.Equal([("defrag", StepPhase.Failed), ("independent", StepPhase.Skipped), ("after", StepPhase.Skipped)],
            done.Status!.StepResults!.Select(r => (r.StepName, r.Phase)));
        Assert.Equal("CapabilityUnavailable", done.Status.StepResults![0].Result!.Value.GetProperty("failureReason").GetProperty("category").GetString());
        Assert.Equal("defrag", done.Status.FailedStep);
        var failed = Assert.Single(done.Status.Conditions!, c => c.Type == ConditionTypes.Failed);
        Assert.Equal(ConditionReasons.StepFailed, failed.Reason);
        Assert.Single(await scenario.JobsAsync(name));
    }

    [Fact]
    public async Task Reconcile_NonHaltingStepFails_IndependentRunsDependentSkipped()
    {
        const string name = "halt-off";
        await scenario.CreateAsync(name, [Step("defrag", halt: false), Step("independent"), Step("after", dependsOn: "defrag")]);

        await scenario.RunExecutorAsync(await scenario.WaitForJobAsync(name, "defrag"));
        await scenario.SucceedAsync(await scenario.WaitForJobAsync(name, "independent"));

        var done = await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Failed, "Failed");
        Assert.Equal([("defrag", StepPhase.Failed), ("independent", StepPhase.Succeeded), ("after", StepPhase.Skipped)],
            done.Status!.StepResults!.Select(r => (r.StepName, r.Phase)));
        Assert.Equal("defrag", done.Status.FailedStep);
        Assert.Equal(2, (await scenario.JobsAsync(name)).Count);
    }
}
