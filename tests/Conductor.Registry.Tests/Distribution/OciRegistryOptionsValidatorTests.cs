using Conductor.Registry.Distribution;

namespace Conductor.Registry.Tests.Distribution;

public sealed class OciRegistryOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new OciRegistryOptionsValidator().Validate(null, new OciRegistryOptions()).Succeeded);
    }

    [Fact]
    public void Validate_SeveralBadSettings_ReportsEachWithItsName()
    {
        var options = new OciRegistryOptions { MaxAttempts = 0, ChunkSize = 10, CaCertificateFile = "/nonexistent/ca.pem" };
        options.PlainHttpRegistries.Add("http://10.0.0.1:5000");

        var result = new OciRegistryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Registry:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Registry:ChunkSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Registry:PlainHttpRegistries", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Registry:CaCertificateFile", StringComparison.Ordinal));
    }
}
