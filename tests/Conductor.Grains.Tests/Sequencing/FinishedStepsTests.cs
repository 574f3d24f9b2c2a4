using System.Diagnostics.Metrics;
using Conductor.Grains.Sequencing;
using Conductor.Observability;
using Conductor.Resources.Seam;
using Conductor.TestSupport.Observability;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class FinishedStepsTests
{
    [Fact]
    public void Record_HaltingFailureSkipsTheRest_CountsEachOutcomeOnce()
    {
        using var meters = new OneMeterFactory();
        var metrics = new ConductorMetrics(meters);
        var before = Status(("a", StepPhase.Succeeded), ("b", StepPhase.Pending));
        var after = Status(("a", StepPhase.Succeeded), ("b", StepPhase.Failed), ("c", StepPhase.Skipped), ("d", StepPhase.Skipped));

        FinishedSteps.Record(metrics, before, after);

        Assert.Equal(
            new Dictionary<string, long> { [StepOutcomes.Succeeded] = 0, [StepOutcomes.Failed] = 1, [StepOutcomes.Skipped] = 2 },
            Read(meters.Meter!));
    }

    [Fact]
    public void Record_HarvestThenNextHarvest_CountsEveryStepOnce()
    {
        using var meters = new OneMeterFactory();
        var metrics = new ConductorMetrics(meters);
        var first = Status(("a", StepPhase.Succeeded), ("b", StepPhase.Pending));
        var second = Status(("a", StepPhase.Succeeded), ("b", StepPhase.Succeeded));

        FinishedSteps.Record(metrics, Status(("a", StepPhase.Pending)), first);
        FinishedSteps.Record(metrics, first, second);

        Assert.Equal(2, Read(meters.Meter!)[StepOutcomes.Succeeded]);
    }

    [Fact]
    public void Between_NoStepFinished_Empty()
    {
        var before = Status(("a", StepPhase.Succeeded), ("b", StepPhase.Pending));

        Assert.Empty(FinishedSteps.Between(before, Status(("a", StepPhase.Succeeded), ("b", StepPhase.Running))));
    }

    [Fact]
    public void Between_FirstStatusEver_TerminalStepsCount()
    {
        Assert.Equal(["a"], FinishedSteps.Between(null, Status(("a", StepPhase.Skipped))).Select(r => r.StepName));
    }

    private static RunnerConfigStatus Status(params (string Step, StepPhase Phase)[] results) =>
        new() { StepResults = [.. results.Select(r => new StepResult { StepName = r.Step, Phase = r.Phase })] };

    /// <summary>Reads <c>conductor.sequencer.steps</c> of this meter only, by outcome, the way an exporter does.</summary>
    private static Dictionary<string, long> Read(Meter meter)
    {
        using var reader = new ConductorMeterReader(meter);
        return reader.ReadByTag("conductor.sequencer.steps", ConductorMetrics.OutcomeTag);
    }

    /// <summary>Creates one meter and keeps it, so the listener can tell this test's instruments from any other's.</summary>
    private sealed class OneMeterFactory : IMeterFactory
    {
        public Meter? Meter { get; private set; }

        public Meter Create(MeterOptions options) => Meter = new Meter(options);

        public void Dispose() => Meter?.Dispose();
    }
}
