using Conductor.Permissions.Protocol;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Permissions;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using Grpc.Health.V1;
using Grpc.Net.Client;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Tests.Permissions;

/// <summary>
/// The PermissionService over real gRPC and TLS on loopback, loading its snapshot from the real kube-apiserver.
/// Fixtures avoid the core group "" in CR string arrays: the 1.20 test apiserver rejects "" inside them (a defect
/// of that test server), so rules use "apps" and "batch".
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class PermissionServiceTests(KubeFixture kube) : IAsyncLifetime
{
    private const string Cluster = "ccs-perm";
    private const string SnapshotName = "snapshot-ccs-perm";
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private readonly string _ns = $"conductor-test-{Guid.NewGuid():N}";
    private PermissionServiceHost? _host;
    private GrpcChannel? _channel;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PermissionService.PermissionServiceClient Service => new(_channel!);

    private Grpc.Health.V1.Health.HealthClient HealthClient => new(_channel!);

    public async ValueTask InitializeAsync()
    {
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = _ns, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
        }, cancellationToken: Ct);
        _host = await PermissionServiceHost.StartAsync(kube.Client, _ns, Cluster, Ct);
        _channel = _host.Channel();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _channel?.Dispose();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
        finally
        {
            await kube.Client.CoreV1.DeleteNamespaceAsync(_ns);
        }
    }

    [Fact]
    public async Task Check_BeforeAnySnapshot_NotServingAndDeniesSayingNothingIsLoaded()
    {
        var health = await HealthClient.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        var named = await HealthClient.CheckAsync(new HealthCheckRequest { Service = PermissionServiceExtensions.HealthServiceName }, cancellationToken: Ct);
        var decision = await Service.CheckPermissionAsync(Request("alice", "get", "apps", "deployments"), cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, named.Status);
        Assert.False(decision.Allowed);
        Assert.Equal(PermissionDecisions.NotLoadedReason, decision.Reason);
    }

    [Fact]
    public async Task Check_UnverifiedSnapshotThenVerifiedReceipt_ServesOnlyAfterVerificationWithRbacWildcards()
    {
        await CreateSnapshotAsync("v1");
        await CreateReceiptAsync();
        await kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"verified":false,"acknowledged":false,"degradedSecurityState":true,"degradedReason":"signature does not verify"}}""",
            V1Patch.PatchType.MergePatch), GuardianApi.Group, GuardianApi.Version, _ns, PermissionSnapshotReceipt.Plural, SnapshotName, cancellationToken: Ct);
        await _host!.Logs.WaitForAsync(e => e.EventId.Name == "LogNotUsed" && e.Message.Contains("degraded security state", StringComparison.Ordinal));
        var whileUnverified = await HealthClient.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        var deniedWhileUnverified = await Service.CheckPermissionAsync(Request("alice", "get", "apps", "deployments"), cancellationToken: Ct);

        await kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"verified":true,"acknowledged":true,"acknowledgedVersion":"v1","degradedSecurityState":false,"degradedReason":null}}""",
            V1Patch.PatchType.MergePatch), GuardianApi.Group, GuardianApi.Version, _ns, PermissionSnapshotReceipt.Plural, SnapshotName, cancellationToken: Ct);
        var serving = await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving);

        var allowed = await Service.CheckPermissionAsync(Request("alice", "list", "apps", "deployments", ns: "shop"), cancellationToken: Ct);
        var wrongNamespace = await Service.CheckPermissionAsync(Request("alice", "list", "apps", "deployments", ns: "billing"), cancellationToken: Ct);
        var wrongVerb = await Service.CheckPermissionAsync(Request("alice", "delete", "apps", "deployments", ns: "shop"), cancellationToken: Ct);
        var anyScale = await Service.CheckPermissionAsync(Request("scaler", "update", "apps", "statefulsets/scale", "db", "shop"), cancellationToken: Ct);
        var notTheResource = await Service.CheckPermissionAsync(Request("scaler", "update", "apps", "statefulsets", "db", "shop"), cancellationToken: Ct);
        var named = await Service.CheckPermissionAsync(Request("scaler", "get", "batch", "cronjobs", "nightly", "shop"), cancellationToken: Ct);
        var otherName = await Service.CheckPermissionAsync(Request("scaler", "get", "batch", "cronjobs", "hourly", "shop"), cancellationToken: Ct);
        var admin = await Service.ExplainDecisionAsync(Request("admin", "escalate", "rbac.authorization.k8s.io", "clusterroles/status"), cancellationToken: Ct);
        var who = await Service.WhoCanDoAsync(new WhoCanDoRequest { Cluster = Cluster, ApiGroup = "apps", Resource = "deployments", Verb = "get", Namespace = "shop" }, cancellationToken: Ct);
        var list = await Service.ListPermissionsAsync(new ListPermissionsRequest { Principal = "alice", Cluster = Cluster }, cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, whileUnverified.Status);
        Assert.False(deniedWhileUnverified.Allowed);
        Assert.Equal(PermissionDecisions.NotLoadedReason, deniedWhileUnverified.Reason);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving);
        Assert.True(allowed.Allowed);
        Assert.Equal("v1", allowed.SnapshotVersion);
        Assert.False(wrongNamespace.Allowed);
        Assert.Contains("namespace (bound to shop)", wrongNamespace.Reason, StringComparison.Ordinal);
        Assert.False(wrongVerb.Allowed);
        Assert.Contains("verb (grants [get,list])", wrongVerb.Reason, StringComparison.Ordinal);
        Assert.True(anyScale.Allowed);
        Assert.False(notTheResource.Allowed);
        Assert.True(named.Allowed);
        Assert.False(otherName.Allowed);
        Assert.Contains("resourceName", otherName.Reason, StringComparison.Ordinal);
        Assert.True(admin.Allowed);
        Assert.Equal(["*"], admin.MatchedRule.Verbs);
        Assert.Equal(["alice", "admin"], who.Principals);
        Assert.Single(list.Rules);
        Assert.Equal("shop", list.Rules[0].Namespace);
    }

    [Fact]
    public async Task Check_SnapshotChangedAfterVerification_StopsServingUntilTheNewVersionIsAcknowledged()
    {
        await CreateSnapshotAsync("v1");
        await CreateReceiptAsync();
        await AcknowledgeAsync("v1");
        await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving);

        await kube.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"version":"v2"}}""", V1Patch.PatchType.MergePatch),
            GuardianApi.Group, GuardianApi.Version, _ns, PermissionSnapshot.Plural, SnapshotName, cancellationToken: Ct);
        var afterChange = await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.NotServing);
        var denied = await Service.CheckPermissionAsync(Request("alice", "get", "apps", "deployments", ns: "shop"), cancellationToken: Ct);
        await AcknowledgeAsync("v2");
        var again = await WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus.Serving);
        var allowed = await Service.CheckPermissionAsync(Request("alice", "get", "apps", "deployments", ns: "shop"), cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, afterChange);
        Assert.False(denied.Allowed);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, again);
        Assert.True(allowed.Allowed);
        Assert.Equal("v2", allowed.SnapshotVersion);
    }

    private static CheckPermissionRequest Request(string principal, string verb, string group, string resource, string name = "", string ns = "") =>
        new() { Principal = principal, Cluster = Cluster, ApiGroup = group, Resource = resource, Verb = verb, ResourceName = name, Namespace = ns };

    private async Task<HealthCheckResponse.Types.ServingStatus> WaitForHealthAsync(HealthCheckResponse.Types.ServingStatus wanted)
    {
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cap.CancelAfter(Cap);
        var last = HealthCheckResponse.Types.ServingStatus.Unknown;
        // Polling with a cap: the store changes when the watch event arrives, which the test cannot await directly.
        while (!cap.IsCancellationRequested)
        {
            last = (await HealthClient.CheckAsync(new HealthCheckRequest(), cancellationToken: cap.Token)).Status;
            if (last == wanted)
            {
                return last;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), cap.Token);
        }
        return last;
    }

    private async Task CreateSnapshotAsync(string version)
    {
        var snapshot = new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = SnapshotName, NamespaceProperty = _ns },
            Spec = new PermissionSnapshotSpec
            {
                TargetCluster = Cluster,
                Version = version,
                Subjects =
                [
                    new SnapshotSubject
                    {
                        SubjectName = "alice",
                        SubjectKind = SubjectKind.User,
                        Namespace = "shop",
                        Permissions = [new PermissionRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get", "list"] }],
                    },
                    new SnapshotSubject
                    {
                        SubjectName = "scaler",
                        SubjectKind = SubjectKind.ServiceAccount,
                        Namespace = "shop",
                        Permissions =
                        [
                            new PermissionRule { ApiGroups = ["apps"], Resources = ["*/scale"], Verbs = ["update"] },
                            new PermissionRule { ApiGroups = ["batch"], Resources = ["cronjobs"], Verbs = ["get"], ResourceNames = ["nightly"] },
                        ],
                    },
                    new SnapshotSubject
                    {
                        SubjectName = "admin",
                        SubjectKind = SubjectKind.Group,
                        Permissions = [new PermissionRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }],
                    },
                ],
            },
        };
        await KubeApi.Of<PermissionSnapshot>().GenericClient(kube.Client).CreateNamespacedAsync(snapshot, _ns, Ct);
    }

    private async Task CreateReceiptAsync()
    {
        var receipt = new PermissionSnapshotReceipt
        {
            Metadata = new V1ObjectMeta { Name = SnapshotName, NamespaceProperty = _ns },
            Spec = new PermissionSnapshotReceiptSpec { SnapshotRef = SnapshotName, TargetCluster = Cluster },
        };
        await KubeApi.Of<PermissionSnapshotReceipt>().GenericClient(kube.Client).CreateNamespacedAsync(receipt, _ns, Ct);
    }

    private Task AcknowledgeAsync(string version) =>
        kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            $$$"""{"status":{"verified":true,"acknowledged":true,"acknowledgedVersion":"{{{version}}}"}}""",
            V1Patch.PatchType.MergePatch), GuardianApi.Group, GuardianApi.Version, _ns, PermissionSnapshotReceipt.Plural, SnapshotName, cancellationToken: Ct);
}
