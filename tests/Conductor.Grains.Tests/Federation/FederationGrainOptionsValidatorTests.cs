using Conductor.Grains.Federation;

namespace Conductor.Grains.Tests.Federation;

public sealed class FederationGrainOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new FederationGrainOptionsValidator().Validate(null, new FederationGrainOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NamespacesNotDnsLabels_EachReportedNamingItsSetting()
    {
        var options = new FederationGrainOptions
        {
            StoreNamespace = "seam-system\n",
            RunnerConfigNamespace = "Tenant-" + FederationGrainOptions.ClusterPlaceholder,
            TenantNamespace = "seam-tenant-" + FederationGrainOptions.ClusterPlaceholder + "-",
            TalosClusterNamespace = "seam.system",
        };

        var result = new FederationGrainOptionsValidator().Validate(null, options);

        var failures = Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures).ToList();
        Assert.Equal(4, failures.Count);
        Assert.StartsWith($"{FederationGrainOptions.StoreNamespaceVariable} 'seam-system\n' is not a namespace name", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Federation:RunnerConfigNamespace 'Tenant-{cluster}' does not make a namespace name", failures[1], StringComparison.Ordinal);
        Assert.StartsWith("Federation:TenantNamespace 'seam-tenant-{cluster}-' does not make a namespace name", failures[2], StringComparison.Ordinal);
        Assert.StartsWith("Federation:TalosClusterNamespace 'seam.system' does not make a namespace name", failures[3], StringComparison.Ordinal);
    }
}
