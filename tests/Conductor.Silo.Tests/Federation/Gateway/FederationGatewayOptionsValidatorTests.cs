using Conductor.Silo.Federation.Gateway;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class FederationGatewayOptionsValidatorTests
{
    [Fact]
    public void Validate_NothingSet_ReportsEveryMissingFileNamingItsVariable()
    {
        var result = new FederationGatewayOptionsValidator().Validate(null, new FederationGatewayOptions());

        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures.Count());
        Assert.Contains(result.Failures, f => f.StartsWith("FEDERATION_CA_CERT_PATH is not set", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.StartsWith("FEDERATION_SERVER_CERT_PATH is not set", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f.StartsWith("FEDERATION_SERVER_KEY_PATH is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnparsablePortAndMissingFile_ReportsBoth()
    {
        var result = new FederationGatewayOptionsValidator().Validate(null, new FederationGatewayOptions
        {
            UnparsablePort = ":9443",
            CaCertificatePath = "/nonexistent/ca.crt",
            ServerCertificatePath = "/nonexistent/server.crt",
            ServerKeyPath = "/nonexistent/server.key",
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("FEDERATION_PORT ':9443' is not a port number", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("/nonexistent/ca.crt, which does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RetryBudgetTooLongAndDelayZero_ReportsBothNamingTheSetting()
    {
        var result = new FederationGatewayOptionsValidator().Validate(null, new FederationGatewayOptions
        {
            GrainCallRetryBudget = TimeSpan.FromMinutes(2),
            GrainCallRetryDelay = TimeSpan.Zero,
        });

        Assert.Contains(result.Failures!, f => f.StartsWith("FederationGateway:GrainCallRetryBudget must be between 0 and 30 s", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("FederationGateway:GrainCallRetryDelay must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_GrainCallRetry_TenSecondsInAll() => Assert.Equal(TimeSpan.FromSeconds(10), new FederationGatewayOptions().GrainCallRetryBudget);

    [Fact]
    public void Defaults_Port_Is9443() => Assert.Equal(9443, new FederationGatewayOptions().Port);
}
