using Conductor.Silo.Federation.Gateway;
using Conductor.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class FederationGatewayExtensionsTests
{
    [Fact]
    public void AddFederationGateway_RetrySettingsInSection_BoundBesideThePortVariable()
    {
        using var files = new TemporaryDirectory();
        var pem = files.File("any.pem");
        File.WriteAllText(pem, ""); // the validator checks the files exist; nothing here reads them
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationGatewayOptions.CaCertificatePathVariable] = pem,
            [FederationGatewayOptions.ServerCertificatePathVariable] = pem,
            [FederationGatewayOptions.ServerKeyPathVariable] = pem,
            ["FederationGateway:GrainCallRetryBudget"] = "00:00:05",
            ["FederationGateway:GrainCallRetryDelay"] = "00:00:00.100",
            [FederationGatewayOptions.PortVariable] = "9555",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddFederationGateway();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<FederationGatewayOptions>>().Get(Options.DefaultName);

        Assert.Equal(TimeSpan.FromSeconds(5), options.GrainCallRetryBudget);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.GrainCallRetryDelay);
        Assert.Equal(9555, options.Port);
    }
}
