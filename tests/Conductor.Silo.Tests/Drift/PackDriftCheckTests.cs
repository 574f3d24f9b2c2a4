using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Discovery;
using Conductor.Silo.Drift;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;
using static Conductor.Silo.Tests.Drift.DriftFixtures;

namespace Conductor.Silo.Tests.Drift;

/// <summary>
/// Pack drift on the real tenant apiserver: every deployed resource is looked up through API discovery, so kinds
/// whose plural a naive "+s" rule gets wrong (RBACPolicy → rbacpolicies, Endpoints → endpoints) are found.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class PackDriftCheckTests(TenantReceiptNamespace tenant) : IClassFixture<TenantReceiptNamespace>
{
    private PackDriftCheck Check() => new(tenant.Client, new ApiDiscovery(tenant.Client), NullLogger.Instance);

    [Fact]
    public async Task Check_EveryDeployedResourcePresent_NotDrifted()
    {
        var name = Unique("ok");
        await CreateConfigMapAsync(tenant.Client, tenant.Name, name);
        var policy = await CreatePolicyAsync(name);
        await tenant.Client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints { Metadata = new V1ObjectMeta { Name = name } }, tenant.Name,
            cancellationToken: Ct);
        var role = await tenant.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = name } },
            cancellationToken: Ct);
        try
        {
            var receipt = Receipt(tenant.Name, name,
                ConfigMapEntry(tenant.Name, name),
                new DeployedResource { ApiVersion = "guardian.ontai.dev/v1alpha1", Kind = RBACPolicy.KindName, Namespace = tenant.Name, Name = policy },
                new DeployedResource { ApiVersion = "v1", Kind = "Endpoints", Namespace = tenant.Name, Name = name },
                new DeployedResource { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Name = role.Metadata.Name });

            var observation = await Check().CheckAsync(receipt, Ct);

            Assert.NotNull(observation);
            Assert.False(observation.Drifted);
            Assert.Equal(DriftNames.PackSignal(name), observation.Signal);
        }
        finally
        {
            await tenant.Client.RbacAuthorizationV1.DeleteClusterRoleAsync(name, cancellationToken: Ct);
        }
    }

    [Fact]
    public async Task Check_ConfigMapDeleted_DriftNamesTheMissingResource()
    {
        var name = Unique("cm");
        await CreateConfigMapAsync(tenant.Client, tenant.Name, name);
        await tenant.Client.CoreV1.DeleteNamespacedConfigMapAsync(name, tenant.Name, cancellationToken: Ct);

        var observation = await Check().CheckAsync(Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name)), Ct);

        Assert.NotNull(observation);
        Assert.True(observation.Drifted);
        Assert.Equal($"resource v1 ConfigMap/{tenant.Name}/{name} missing from cluster", observation.Reason);
        Assert.Null(observation.Affected.Group);
        Assert.Equal("ConfigMap", observation.Affected.Kind);
        Assert.Equal(tenant.Name, observation.Affected.Namespace);
        Assert.Equal(name, observation.Affected.Name);
    }

    [Fact]
    public async Task Check_IrregularPluralCustomResourceDeleted_DriftFoundThroughDiscovery()
    {
        var name = Unique("pol");
        await CreateConfigMapAsync(tenant.Client, tenant.Name, name);
        var policy = await CreatePolicyAsync(name);
        var entry = new DeployedResource { ApiVersion = "guardian.ontai.dev/v1alpha1", Kind = RBACPolicy.KindName, Namespace = tenant.Name, Name = policy };
        var receipt = Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name), entry);
        Assert.False((await Check().CheckAsync(receipt, Ct))!.Drifted);

        await tenant.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("guardian.ontai.dev", "v1alpha1", tenant.Name, RBACPolicy.Plural, policy,
            cancellationToken: Ct);
        var observation = await Check().CheckAsync(receipt, Ct);

        Assert.True(observation!.Drifted);
        Assert.Equal("guardian.ontai.dev", observation.Affected.Group);
        Assert.Equal(RBACPolicy.KindName, observation.Affected.Kind);
        Assert.Contains($"{RBACPolicy.KindName}/{tenant.Name}/{policy} missing", observation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnverifiedReceipt_NotJudged()
    {
        var name = Unique("unv");
        var receipt = Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name));
        receipt.Status = new PackReceiptStatus { Verified = false };

        Assert.Null(await Check().CheckAsync(receipt, Ct));
    }

    [Fact]
    public async Task Check_VerifiedReceiptWithMissingResource_Drifted()
    {
        var name = Unique("ver");
        var receipt = Receipt(tenant.Name, name, ConfigMapEntry(tenant.Name, name));
        receipt.Status = new PackReceiptStatus { Verified = true };

        Assert.True((await Check().CheckAsync(receipt, Ct))!.Drifted);
    }

    [Fact]
    public async Task Check_MissingResourceInTerminatingNamespace_NotDrift()
    {
        // The test server runs no namespace controller, so a deleted namespace stays Terminating.
        var doomed = $"conductor-test-{Guid.NewGuid():N}";
        await tenant.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = doomed, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        }, cancellationToken: Ct);
        await tenant.Client.CoreV1.DeleteNamespaceAsync(doomed, cancellationToken: Ct);

        var observation = await Check().CheckAsync(Receipt(tenant.Name, Unique("term"), ConfigMapEntry(doomed, "gone")), Ct);

        Assert.False(observation!.Drifted);
    }

    [Fact]
    public async Task Check_KindNotServed_SkippedNotDrift()
    {
        var entry = new DeployedResource { ApiVersion = "example.invalid/v1", Kind = "Nothing", Namespace = tenant.Name, Name = "x" };

        var observation = await Check().CheckAsync(Receipt(tenant.Name, Unique("ns"), entry), Ct);

        Assert.False(observation!.Drifted);
    }

    private async Task<string> CreatePolicyAsync(string name)
    {
        var policy = (RBACPolicy)SampleResources.Create(typeof(RBACPolicy), tenant.Name, name);
        policy.Status = null;
        await tenant.Client.CustomObjects.CreateNamespacedCustomObjectAsync<RBACPolicy>(policy, "guardian.ontai.dev", "v1alpha1", tenant.Name,
            RBACPolicy.Plural, cancellationToken: Ct);
        return name;
    }
}
