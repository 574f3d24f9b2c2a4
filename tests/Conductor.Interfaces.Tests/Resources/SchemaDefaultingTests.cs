using Conductor.Resources.Guardian;
using Conductor.Resources.Platform;
using Conductor.Resources.References;
using Conductor.TestSupport.Kubernetes;
using k8s.Models;

namespace Conductor.Interfaces.Tests.Resources;

/// <summary>Fields with a <c>[Default]</c> are filled in by the real API server when the writer leaves them out.</summary>
[Collection(KubeCollection.Name)]
public sealed class SchemaDefaultingTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    [Fact]
    public async Task Create_FreshnessWindowOmitted_ServerDefaultsTo300()
    {
        using var client = KubeApi.Of<PermissionSnapshot>().GenericClient(ns.Client);
        var snapshot = new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = "snapshot-ccs-dev", NamespaceProperty = ns.Name },
            Spec = new PermissionSnapshotSpec { TargetCluster = "ccs-dev", Version = "2024-05-06T07:08:09Z" },
        };

        var created = await client.CreateNamespacedAsync(snapshot, ns.Name, TestContext.Current.CancellationToken);

        Assert.Equal(300, created.Spec.FreshnessWindowSeconds);
    }

    [Fact]
    public async Task Create_PatchModeAndRotationFlagsOmitted_ServerDefaultsThem()
    {
        using var client = KubeApi.Of<NodeMaintenance>().GenericClient(ns.Client);
        var maintenance = new NodeMaintenance
        {
            Metadata = new V1ObjectMeta { Name = "patch-ccs-dev", NamespaceProperty = ns.Name },
            Spec = new NodeMaintenanceSpec { ClusterRef = new NamedRef { Name = "ccs-dev" }, Operation = NodeMaintenanceOperation.Patch },
        };

        var created = await client.CreateNamespacedAsync(maintenance, ns.Name, TestContext.Current.CancellationToken);

        Assert.Equal(PatchMode.NoReboot, created.Spec.PatchMode);
        Assert.True(created.Spec.RotateServiceAccountKeys);
        Assert.False(created.Spec.RotateOidcCredentials);
    }
}
