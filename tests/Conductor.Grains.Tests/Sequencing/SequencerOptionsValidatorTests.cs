using Conductor.Grains.Sequencing;

namespace Conductor.Grains.Tests.Sequencing;

public sealed class SequencerOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new SequencerOptionsValidator().Validate(null, new SequencerOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NamesNotDnsLabels_EachReportedNamingItsVariable()
    {
        var options = new SequencerOptions { Namespace = "Seam_System", QueueName = "steps\n", ServiceAccountName = new string('a', 64) };

        var result = new SequencerOptionsValidator().Validate(null, options);

        var failures = Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures).ToList();
        Assert.Equal(3, failures.Count);
        Assert.StartsWith($"{SequencerOptions.NamespaceEnvVar} 'Seam_System' must be a DNS label", failures[0], StringComparison.Ordinal);
        Assert.StartsWith($"{SequencerOptions.QueueNameEnvVar} 'steps\n' must be a DNS label", failures[1], StringComparison.Ordinal);
        Assert.StartsWith($"{SequencerOptions.ServiceAccountEnvVar} '{options.ServiceAccountName}' must be a DNS label", failures[2], StringComparison.Ordinal);
    }
}
