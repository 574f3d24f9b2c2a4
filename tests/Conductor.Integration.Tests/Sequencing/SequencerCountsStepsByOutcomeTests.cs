using System.Diagnostics.Metrics;
using Conductor.Observability;
using Conductor.Resources.Seam;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Conductor.Integration.Tests.Sequencing.SequencerScenario;
using Conductor.TestSupport.Observability;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>Every step the sequencer records as finished shows on <c>conductor.sequencer.steps</c>, once, by outcome.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerCountsStepsByOutcomeTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Reconcile_OneSucceedsOneFailsOneSkipped_EachOutcomeCountedOnce()
    {
        const string name = "counted";
        await scenario.CreateAsync(name, [Step("first"), Step("second", halt: true, dependsOn: "first"), Step("third", dependsOn: "second")]);

        await scenario.SucceedAsync(await scenario.WaitForJobAsync(name, "first"));
        await scenario.FinishAsync(await scenario.WaitForJobAsync(name, "second"), "Failed");
        await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Failed, "Failed");

        Assert.Equal(
            new Dictionary<string, long> { [StepOutcomes.Succeeded] = 1, [StepOutcomes.Failed] = 1, [StepOutcomes.Skipped] = 1 },
            ReadSteps(Assert.IsType<InProcessSiloHandle>(scenario.Silo?.Primary).SiloHost.Services.GetRequiredService<IMeterFactory>()));
    }

    /// <summary>Reads the counter of the silo's own meter (its factory is the meter's scope), as an exporter would.</summary>
    private static Dictionary<string, long> ReadSteps(IMeterFactory siloMeters)
    {
        using var reader = new ConductorMeterReader(siloMeters);
        return reader.ReadByTag("conductor.sequencer.steps", ConductorMetrics.OutcomeTag);
    }
}
