using System.Text.Json;
using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using static Conductor.Grains.Tests.Sequencing.Specs;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class StepPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Plan_NothingRun_FirstStepPendingAndCreated()
    {
        var plan = Plan(Config(Step("a"), Step("b", dependsOn: "a")));

        Assert.Equal("a", plan.Create?.Name);
        Assert.Equal(RunnerConfigPhase.Running, plan.Status.Phase);
        var pending = Assert.Single(plan.Status.StepResults!);
        Assert.Equal(("a", StepPhase.Pending, "ont-system/job-a"), (pending.StepName, pending.Phase, pending.OutputRef));
    }

    [Fact]
    public void Plan_PendingJobAbsent_CreatesTheSameStepAgain()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Pending));

        var plan = Plan(config, new StepObservation("a", JobState.Absent, null));

        Assert.Equal("a", plan.Create?.Name);
    }

    [Fact]
    public void Plan_JobActive_StillPendingAndNothingCreated()
    {
        var config = With(Config(Step("a"), Step("b")), Result("a", StepPhase.Pending));

        var plan = Plan(config, new StepObservation("a", JobState.Active, null));

        Assert.Null(plan.Create);
        Assert.Equal(StepPhase.Pending, Assert.Single(plan.Status.StepResults!).Phase);
    }

    [Fact]
    public void Plan_RunningFromEarlierVersionJobActive_StaysRunning()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Running));

        var plan = Plan(config, new StepObservation("a", JobState.Active, null));

        Assert.Null(plan.Create);
        Assert.Equal(StepPhase.Running, Assert.Single(plan.Status.StepResults!).Phase);
    }

    [Fact]
    public void Plan_PendingJobGoneWithoutResult_FailedAndNotCreatedAgain()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Pending));

        var plan = Plan(config, new StepObservation("a", JobState.Gone, null));

        Assert.Null(plan.Create);
        Assert.Equal(StepPhase.Failed, Assert.Single(plan.Status.StepResults!).Phase);
        Assert.Equal((RunnerConfigPhase.Failed, "a"), (plan.Status.Phase, plan.Status.FailedStep));
    }

    [Fact]
    public void Plan_PendingJobGoneWithResultConfigMap_Harvested()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Pending));

        var plan = Plan(config, new StepObservation("a", JobState.Gone, Document("Succeeded")));

        Assert.Equal(RunnerConfigPhase.Completed, plan.Status.Phase);
    }

    [Fact]
    public void Plan_JobCompleteWithSucceededResult_RecordsRawResultAndStartsNext()
    {
        var config = With(Config(Step("a"), Step("b", dependsOn: "a")), Result("a", StepPhase.Running));

        var plan = Plan(config, new StepObservation("a", JobState.Complete, Document("Succeeded")));

        Assert.Equal("b", plan.Create?.Name);
        var a = plan.Status.StepResults![0];
        Assert.Equal(StepPhase.Succeeded, a.Phase);
        Assert.Equal("""{"capability":"etcd-defrag","status":"Succeeded","extra":[1]}""", a.Result!.Value.GetRawText());
    }

    [Fact]
    public void Plan_JobCompleteWithoutResult_Failed()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Running));

        var plan = Plan(config, new StepObservation("a", JobState.Complete, null));

        Assert.Equal(StepPhase.Failed, plan.Status.StepResults![0].Phase);
        Assert.Equal(RunnerConfigPhase.Failed, plan.Status.Phase);
    }

    [Fact]
    public void Plan_RunningJobVanishedWithResultConfigMap_Harvested()
    {
        var config = With(Config(Step("a")), Result("a", StepPhase.Running));

        var plan = Plan(config, new StepObservation("a", JobState.Absent, Document("Succeeded")));

        Assert.Equal(RunnerConfigPhase.Completed, plan.Status.Phase);
    }

    [Fact]
    public void Plan_HaltingStepFails_LaterStepsSkippedAndFailedNamesIt()
    {
        var config = With(Config(Step("a"), Step("b", halt: true), Step("c")), Result("a", StepPhase.Succeeded), Result("b", StepPhase.Running));

        var plan = Plan(config, new StepObservation("b", JobState.Complete, Document("Failed")));

        Assert.Null(plan.Create);
        Assert.Equal([StepPhase.Succeeded, StepPhase.Failed, StepPhase.Skipped], plan.Status.StepResults!.Select(r => r.Phase));
        Assert.Equal((RunnerConfigPhase.Failed, "b"), (plan.Status.Phase, plan.Status.FailedStep));
        var failed = Assert.Single(plan.Status.Conditions!);
        Assert.Equal(("Failed", "True", "StepFailed"), (failed.Type, failed.Status, failed.Reason));
    }

    [Fact]
    public void Plan_NonHaltingFailure_IndependentStepRunsDependentSkipped()
    {
        var config = With(Config(Step("a"), Step("b"), Step("c", dependsOn: "a")), Result("a", StepPhase.Running));

        var plan = Plan(config, new StepObservation("a", JobState.Failed, null));

        Assert.Equal("b", plan.Create?.Name);
        Assert.Equal([("a", StepPhase.Failed), ("b", StepPhase.Pending), ("c", StepPhase.Skipped)], plan.Status.StepResults!.Select(r => (r.StepName, r.Phase)));
    }

    [Fact]
    public void Plan_FinalStepFailsAfterEarlierFailure_FailedNamesFirstFailure()
    {
        var config = With(Config(Step("a"), Step("b")), Result("a", StepPhase.Failed), Result("b", StepPhase.Running));

        var plan = Plan(config, new StepObservation("b", JobState.Complete, Document("Failed")));

        Assert.Equal((RunnerConfigPhase.Failed, "a"), (plan.Status.Phase, plan.Status.FailedStep));
    }

    [Fact]
    public void Plan_AllSucceeded_Completed()
    {
        var config = With(Config(Step("a"), Step("b")), Result("a", StepPhase.Succeeded), Result("b", StepPhase.Running));

        var plan = Plan(config, new StepObservation("b", JobState.Complete, Document("Succeeded")));

        Assert.Equal(RunnerConfigPhase.Completed, plan.Status.Phase);
        Assert.Null(plan.Status.FailedStep);
        var completed = Assert.Single(plan.Status.Conditions!);
        Assert.Equal(("Completed", "StepsCompleted"), (completed.Type, completed.Reason));
    }

    [Fact]
    public void Plan_DependencyDeclaredLater_RunsInDependencyOrder()
    {
        var plan = Plan(Config(Step("a", dependsOn: "b"), Step("b")));

        Assert.Equal("b", plan.Create?.Name);
    }

    [Fact]
    public void IsSettled_SpecInvalidForOlderGeneration_NotSettled()
    {
        var config = Config(Step("a"));
        var status = StepPlanner.Invalid(null, ["bad"], generation: 1, Now);

        Assert.True(StepPlanner.IsSettled(status, 1));
        Assert.False(StepPlanner.IsSettled(status, 2));
        config.Status = status;
        config.Metadata.Generation = 2;
        var plan = Plan(config);
        Assert.Equal(RunnerConfigPhase.Running, plan.Status.Phase);
        Assert.Empty(plan.Status.Conditions!);
    }

    private static SequencePlan Plan(RunnerConfig config, StepObservation? observed = null) =>
        StepPlanner.Plan(config, observed, step => $"ont-system/job-{step}", Now);

    private static RunnerConfig With(RunnerConfig config, params StepResult[] results)
    {
        config.Status = new RunnerConfigStatus { Phase = RunnerConfigPhase.Running, StepResults = results };
        return config;
    }

    private static StepResult Result(string step, StepPhase phase) => new() { StepName = step, Phase = phase, OutputRef = $"ont-system/job-{step}" };

    private static JsonElement Document(string status) =>
        JsonDocument.Parse($$"""{"capability":"etcd-defrag","status":"{{status}}","extra":[1]}""").RootElement.Clone();
}
