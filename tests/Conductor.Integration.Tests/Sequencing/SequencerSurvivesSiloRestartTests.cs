using Conductor.Resources.Seam;
using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>The silo goes away mid-run; the next one rebuilds progress from Kubernetes and submits no Job twice.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerSurvivesSiloRestartTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Restart_MidRun_ExactlyOneJobPerStep()
    {
        const string name = "restart";
        await scenario.CreateAsync(name, [Step("one"), Step("two", dependsOn: "one"), Step("three", dependsOn: "two")]);
        await scenario.SucceedAsync(await scenario.WaitForJobAsync(name, "one"));
        var two = await scenario.WaitForJobAsync(name, "two");

        // Restart while step two's Job runs, then again after it finished while no silo was up to see it.
        await scenario.RestartSiloAsync();
        await scenario.WaitForStatusAsync(name, s => HasResult(s, "two", StepPhase.Pending), "step two Pending (its Job runs)");
        await scenario.StopSiloAsync();
        await scenario.SucceedAsync(two);
        await scenario.RestartSiloAsync();
        await scenario.SucceedAsync(await scenario.WaitForJobAsync(name, "three"));

        var done = await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Completed, "Completed");
        Assert.All(done.Status!.StepResults!, r => Assert.Equal(StepPhase.Succeeded, r.Phase));
        var jobs = await scenario.JobsAsync(name);
        Assert.Equal(["one", "three", "two"], jobs.Select(j => j.Metadata.Labels["seam.ontai.dev/step"]).Order());
        Assert.Equal(3, jobs.Select(j => j.Metadata.Name).Distinct().Count());
    }
}
