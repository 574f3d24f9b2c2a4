using static Conductor.Integration.Tests.Sequencing.SequencerScenario;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>selfOperation decides whether the step Job keeps off the maintained nodes and the operator leader's node.</summary>
[Collection(SequencerCollection.Name)]
public sealed class SequencerNodeAffinityTests(SequencerScenario scenario) : IClassFixture<SequencerScenario>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reconcile_SelfOperation_AffinityPresentOnlyWhenTrue(bool selfOperation)
    {
        var name = $"affinity-{selfOperation.ToString().ToLowerInvariant()}";
        await scenario.CreateAsync(name, [Step("patch")],
            spec => spec with { SelfOperation = selfOperation, MaintenanceTargetNodes = ["cp-1", "cp-2"], OperatorLeaderNode = "cp-3" });

        var job = await scenario.WaitForJobAsync(name, "patch");

        var affinity = job.Spec.Template.Spec.Affinity;
        if (!selfOperation)
        {
            Assert.Null(affinity);
            return;
        }
        var requirement = Assert.Single(Assert.Single(affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions);
        Assert.Equal(("kubernetes.io/hostname", "NotIn"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["cp-1", "cp-2", "cp-3"], requirement.Values);
    }
}
