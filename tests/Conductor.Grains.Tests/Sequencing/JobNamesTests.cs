using Conductor.Grains.Sequencing;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class JobNamesTests
{
    [Fact]
    public void For_SameInputs_SameName()
    {
        Assert.Equal(JobNames.For("ont-system", "ccs-dev", "u1", "backup", 1), JobNames.For("ont-system", "ccs-dev", "u1", "backup", 1));
    }

    [Fact]
    public void For_ShortNames_ReadablePrefixAttemptAndHash()
    {
        Assert.Matches("^ccs-dev-backup-1-[0-9a-f]{8}$", JobNames.For("ont-system", "ccs-dev", "u1", "backup", 1));
    }

    [Fact]
    public void For_AmbiguousConcatenation_DifferentNames()
    {
        Assert.NotEqual(JobNames.For("ns", "a-b", "u1", "c", 1), JobNames.For("ns", "a", "u1", "b-c", 1));
    }

    [Fact]
    public void For_RecreatedRunnerConfig_DifferentName()
    {
        Assert.NotEqual(JobNames.For("ns", "a", "u1", "s", 1), JobNames.For("ns", "a", "u2", "s", 1));
    }

    [Theory]
    [InlineData("a-very-long-runner-config-name-that-goes-on-and-on-for-ever", "and-a-step-name-that-is-also-far-too-long-for-a-label")]
    [InlineData("UPPER_case.name", "Step One!")]
    [InlineData("---", "***")]
    public void For_AnyInput_DnsLabelWithinLimit(string config, string step)
    {
        var name = JobNames.For("ont-system", config, "u1", step, 12);

        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name);
        Assert.True(name.Length <= 63, name);
        Assert.EndsWith("-12-" + name[^8..], name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup", "backup")]
    [InlineData("Step_1.b", "Step_1.b")]
    public void LabelValue_Valid_Unchanged(string value, string expected)
    {
        Assert.Equal(expected, JobNames.LabelValue(value));
    }

    [Fact]
    public void LabelValue_TooLong_ShortenedWithHash()
    {
        var value = JobNames.LabelValue(new string('x', 80));

        Assert.True(JobNames.IsLabelValue(value), value);
        Assert.NotEqual(JobNames.LabelValue(new string('x', 81)), value);
    }
}
