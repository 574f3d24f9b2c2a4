using Conductor.Resources.Seam;
using Conductor.Runner;
using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>An invalid spec gets a Failed condition naming every problem, and no Job.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerRefusesInvalidSpecTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Fact]
    public async Task Reconcile_InvalidSpec_FailedConditionAndNoJob()
    {
        const string name = "invalid";
        await scenario.CreateAsync(name, [Step("a", dependsOn: "b"), Step("b", dependsOn: "a"), Step("c", "node-teleport"), Step("c"), Step("d", dependsOn: "ghost")]);

        var failed = await scenario.WaitForStatusAsync(name, s => s.Phase == RunnerConfigPhase.Failed, "Failed");

        var condition = Assert.Single(failed.Status!.Conditions!, c => c.Type == ConditionTypes.Failed);
        Assert.Equal(("True", ConditionReasons.SpecInvalid), (condition.Status, condition.Reason));
        Assert.Contains("dependency cycle: a -> b -> a", condition.Message, StringComparison.Ordinal);
        Assert.Contains("'node-teleport' is not in the catalog", condition.Message, StringComparison.Ordinal);
        Assert.Contains("name 'c' is used by an earlier step", condition.Message, StringComparison.Ordinal);
        Assert.Contains("dependsOn 'ghost'", condition.Message, StringComparison.Ordinal);
        Assert.Null(failed.Status.StepResults);
        Assert.Empty(await scenario.JobsAsync(name));
    }
}
