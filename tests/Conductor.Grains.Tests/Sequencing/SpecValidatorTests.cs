using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using static Conductor.Grains.Tests.Sequencing.Specs;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class SpecValidatorTests
{
    [Fact]
    public void Validate_ValidChain_NoErrors()
    {
        var errors = SpecValidator.Validate(Config(Step("a"), Step("b", dependsOn: "a"), Step("c", dependsOn: ["a", "b"])).Spec);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_DuplicateNames_NamesTheSecond()
    {
        var error = Assert.Single(SpecValidator.Validate(Config(Step("a"), Step("a")).Spec));

        Assert.Equal("spec.steps[1].name 'a' is used by an earlier step; step names must be unique", error);
    }

    [Theory]
    [InlineData("node-teleport", "is not in the catalog")]
    [InlineData("pack-compile", "is compile-only")]
    public void Validate_CapabilityNotRunnable_NamesStepAndCapability(string capability, string rule)
    {
        var error = Assert.Single(SpecValidator.Validate(Config(Step("a", capability)).Spec));

        Assert.StartsWith($"spec.steps[0] 'a' capability '{capability}' {rule}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownDependency_NamesStepAndDependency()
    {
        var error = Assert.Single(SpecValidator.Validate(Config(Step("a"), Step("b", dependsOn: "ghost")).Spec));

        Assert.Equal("spec.steps[1] 'b' dependsOn 'ghost', which is not a step of this RunnerConfig", error);
    }

    [Fact]
    public void Validate_Cycle_ReportsThePath()
    {
        var error = Assert.Single(SpecValidator.Validate(Config(Step("a", dependsOn: "c"), Step("b", dependsOn: "a"), Step("c", dependsOn: "b")).Spec));

        Assert.StartsWith("spec.steps form a dependency cycle: a -> c -> b -> a", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelfDependency_IsACycle()
    {
        var error = Assert.Single(SpecValidator.Validate(Config(Step("a", dependsOn: "a")).Spec));

        Assert.StartsWith("spec.steps form a dependency cycle: a -> a", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadParameters_ReportsEachWithStep()
    {
        var step = Step("scale", "node-scale-up") with { Parameters = new Dictionary<string, string> { ["replicaCount"] = "many", ["extra"] = "x" } };

        var errors = SpecValidator.Validate(Config(step).Spec);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("spec.steps[0] 'scale' (node-scale-up): parameter '", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllAtOnce()
    {
        var errors = SpecValidator.Validate(Config(Step("a", "nope"), Step("a"), Step("b", dependsOn: "ghost")).Spec);

        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void ToJson_TypedParameters_FollowTheSchema()
    {
        var step = new RunnerStep
        {
            Name = "s",
            Capability = "talos-upgrade",
            Parameters = new Dictionary<string, string> { ["targetTalosVersion"] = "v1.9.3", ["targetNodes"] = "n1, n2" },
        };

        Assert.Equal("""{"targetNodes":["n1","n2"],"targetTalosVersion":"v1.9.3"}""", StepParameters.ToJson(step).ToJsonString());
    }
}
