using Conductor.Executor.Capabilities;
using Conductor.Runner.Capabilities;

namespace Conductor.Executor.Tests.Capabilities;

public sealed class CapabilityRegistryTests
{
    [Fact]
    public void Names_Always_EqualCatalogExecutableNames() =>
        Assert.Equal(CapabilityCatalog.ExecutableNames.Order(StringComparer.Ordinal), CapabilityRegistry.Names.Order(StringComparer.Ordinal));

    [Fact]
    public void Resolve_PackCompile_ReturnsNull() => Assert.Null(CapabilityRegistry.Resolve(CapabilityNames.PackCompile));

    [Theory]
    [InlineData("Bootstrap")]
    [InlineData("nope")]
    public void Resolve_UnknownOrWrongCase_ReturnsNull(string name) => Assert.Null(CapabilityRegistry.Resolve(name));

    [Fact]
    public void Implemented_Always_EqualsCatalogDeclaredNames()
    {
        var implemented = CapabilityRegistry.Names.Where(n => CapabilityRegistry.Resolve(n)!.Implemented).Order(StringComparer.Ordinal);

        Assert.Equal(CapabilityCatalog.DeclaredNames.Order(StringComparer.Ordinal), implemented);
    }

    [Theory]
    [InlineData(CapabilityNames.PackDeploy)]
    [InlineData(CapabilityNames.RbacProvision)]
    public void Resolve_KubernetesSideCapabilities_AreImplemented(string name)
    {
        Assert.True(CapabilityRegistry.Resolve(name)!.Implemented);
        Assert.Contains(name, CapabilityCatalog.DeclaredNames);
    }

    [Fact]
    public async Task RunAsync_NotImplemented_FailsCapabilityUnavailableNamingWhatIsMissing()
    {
        var handler = CapabilityRegistry.Resolve(CapabilityNames.EtcdBackup)!;

        var outcome = await handler.RunAsync(null!, TestContext.Current.CancellationToken);

        Assert.Equal(Conductor.Runner.Results.OperationStatus.Failed, outcome.Status);
        Assert.Equal(Conductor.Runner.Results.FailureCategory.CapabilityUnavailable, outcome.FailureReason!.Category);
        Assert.Contains("etcd-backup is not implemented in this image", outcome.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Contains("object-storage", outcome.FailureReason.Detail, StringComparison.Ordinal);
    }
}
