using System.Net;
using System.Text;
using System.Text.Json;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Resources.Seam;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Tests.Webhook;

/// <summary>
/// The real kube-apiserver calls our webhooks over HTTPS on loopback. The ValidatingWebhookConfiguration is scoped
/// to this class's namespace by a label only it carries, so no other test's objects ever reach our endpoints.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class RbacOwnershipWebhookTests(KubeFixture kube) : IAsyncLifetime
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private readonly string _ns = $"conductor-test-{Guid.NewGuid():N}";
    private readonly string _scope = Guid.NewGuid().ToString("N");
    private WebhookHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WebhookHost Host => _host!;

    private string ConfigurationName => $"conductor-test-{_scope}";

    public async ValueTask InitializeAsync()
    {
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = _ns,
                Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true", ["conductor.ontai.dev/webhook-scope"] = _scope },
            },
        }, cancellationToken: Ct);
        _host = await WebhookHost.StartAsync(kube.Client, _ns, "webhook-replica", Ct);
        await kube.Client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(Configuration(), cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await kube.Client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(ConfigurationName);
        }
        finally
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
            await kube.Client.CoreV1.DeleteNamespaceAsync(_ns);
        }
    }

    [Fact]
    public async Task Create_UnannotatedRole_ApiServerAdmitsInAuditAndRejectsInStrict()
    {
        await WaitUntilApiServerCallsUsAsync();

        var audited = await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("reader"), _ns, cancellationToken: Ct);
        var auditLog = await Host.Logs.WaitForAsync(e => e.EventId.Name == "LogAudited" && e.Message.Contains($"{_ns}/reader", StringComparison.Ordinal));
        await kube.Client.RbacAuthorizationV1.DeleteNamespacedRoleAsync("reader", _ns, cancellationToken: Ct);
        await Host.Leadership.WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        var flipped = await Host.Gate.FlipToStrictAsync("test: sweep and receipt done", Ct);
        var rejected = await Assert.ThrowsAsync<HttpOperationException>(() =>
            kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("reader"), _ns, cancellationToken: Ct));
        var owned = await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("owned-reader", owned: true), _ns, cancellationToken: Ct);
        var systemName = await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("system:reader"), _ns, cancellationToken: Ct);
        var persisted = await kube.Client.CoreV1.ReadNamespacedConfigMapAsync(EnforcementGate.ConfigMapName, _ns, cancellationToken: Ct);

        Assert.Equal("reader", audited.Metadata.Name);
        Assert.Contains("is not owned by Guardian", auditLog.Message, StringComparison.Ordinal);
        Assert.True(flipped);
        Assert.Equal(HttpStatusCode.Forbidden, rejected.Response.StatusCode);
        Assert.Contains($"Role {_ns}/reader is not owned by Guardian", rejected.Response.Content, StringComparison.Ordinal);
        Assert.Contains("Add the annotation ontai.dev/rbac-owner=guardian", rejected.Response.Content, StringComparison.Ordinal);
        Assert.Equal("owned-reader", owned.Metadata.Name);
        Assert.Equal("system:reader", systemName.Metadata.Name);
        Assert.Equal("strict", persisted.Data[EnforcementGate.ModeKey]);
        Assert.False(await Host.Gate.FlipToStrictAsync("again", Ct));
        Assert.Equal(1, Host.Gate.Flips);
    }

    [Fact]
    public async Task Update_ChangedLineage_ApiServerRejectsAndKeepsSealedChain()
    {
        await WaitUntilApiServerCallsUsAsync();
        var set = new PermissionSet
        {
            Metadata = new V1ObjectMeta { Name = "sealed" },
            Spec = new PermissionSetSpec
            {
                Description = "before",
                Permissions = [new PermissionRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get"] }],
                Lineage = new SealedCausalChain { RootKind = "RBACPolicy", RootName = "origin" },
            },
        };
        await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(set, GuardianApi.Group, GuardianApi.Version, _ns, PermissionSet.Plural, cancellationToken: Ct);

        var rejected = await Assert.ThrowsAsync<HttpOperationException>(() => Patch("""{"spec":{"lineage":{"rootName":"forged"}}}"""));
        await Patch("""{"spec":{"description":"after"}}""");
        var stored = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync<PermissionSet>(
            GuardianApi.Group, GuardianApi.Version, _ns, PermissionSet.Plural, "sealed", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, rejected.Response.StatusCode);
        Assert.Contains("spec.lineage is a sealed causal chain", rejected.Response.Content, StringComparison.Ordinal);
        Assert.Equal("origin", stored.Spec.Lineage!.RootName);
        Assert.Equal("after", stored.Spec.Description);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u1"}}""")]
    [InlineData("")]
    public async Task Post_MalformedReview_WellFormedRejection(string body)
    {
        using var http = Host.Client();

        using var response = await http.PostAsync(Host.Url(AdmissionEndpoints.RbacOwnershipPath),
            new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        using var review = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var answer = review.RootElement.GetProperty("response");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("admission.k8s.io/v1", review.RootElement.GetProperty("apiVersion").GetString());
        Assert.False(answer.GetProperty("allowed").GetBoolean());
        Assert.Equal(400, answer.GetProperty("status").GetProperty("code").GetInt32());
        Assert.StartsWith("Malformed AdmissionReview", answer.GetProperty("status").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kube-system", "Role", "anything", true)]
    [InlineData("ont-system", "RoleBinding", "anything", true)]
    [InlineData("", "ClusterRole", "system:controller:foo", true)]
    [InlineData("", "ClusterRole", "custom-admin", false)]
    [InlineData("apps", "ServiceAccount", "builder", false)]
    public async Task Post_StrictMode_ExemptionsAndViolations(string @namespace, string kind, string name, bool allowed)
    {
        await Host.Leadership.WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        await Host.Gate.FlipToStrictAsync("test", Ct);
        using var http = Host.Client();
        var group = kind == "ServiceAccount" ? "" : "rbac.authorization.k8s.io";
        var request = $$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"uid-7","operation":"CREATE",
             "kind":{"group":"{{{group}}}","version":"v1","kind":"{{{kind}}}"},"namespace":"{{{@namespace}}}","name":"{{{name}}}",
             "object":{"metadata":{"name":"{{{name}}}" } } } }
            """;

        using var response = await http.PostAsync(Host.Url(AdmissionEndpoints.RbacOwnershipPath), new StringContent(request, Encoding.UTF8, "application/json"), Ct);
        using var review = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var answer = review.RootElement.GetProperty("response");

        Assert.Equal("uid-7", answer.GetProperty("uid").GetString());
        Assert.Equal(allowed, answer.GetProperty("allowed").GetBoolean());
    }

    /// <summary>The API server picks a new configuration up asynchronously: create probes until one reaches us.</summary>
    private async Task WaitUntilApiServerCallsUsAsync()
    {
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cap.CancelAfter(Cap);
        for (var probe = 0; ; probe++)
        {
            var name = $"probe-{probe}";
            await kube.Client.CoreV1.CreateNamespacedServiceAccountAsync(
                new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, _ns, cancellationToken: cap.Token);
            try
            {
                await Host.Logs.WaitForAsync(e => e.Message.Contains($"{_ns}/{name}", StringComparison.Ordinal), TimeSpan.FromMilliseconds(500));
                return;
            }
            catch (TimeoutException)
            {
                cap.Token.ThrowIfCancellationRequested();
            }
        }
    }

    private Task<object> Patch(string patch) => kube.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
        new V1Patch(patch, V1Patch.PatchType.MergePatch), GuardianApi.Group, GuardianApi.Version, _ns, PermissionSet.Plural, "sealed", cancellationToken: Ct);

    private static V1Role Role(string name, bool owned = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = owned ? new Dictionary<string, string> { [RbacOwnershipPolicy.OwnerAnnotation] = RbacOwnershipPolicy.OwnerValue } : null,
        },
        Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get", "list"] }],
    };

    private V1ValidatingWebhookConfiguration Configuration()
    {
        var caBundle = Encoding.UTF8.GetBytes(Host.Pki.Ca.ExportCertificatePem());
        var scope = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["conductor.ontai.dev/webhook-scope"] = _scope } };
        return new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = ConfigurationName, Labels = new Dictionary<string, string> { [TestNamespace.TestLabel] = "true" } },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = "rbac-ownership.conductor.ontai.dev",
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = Host.Url(AdmissionEndpoints.RbacOwnershipPath).ToString(), CaBundle = caBundle },
                    Rules =
                    [
                        new V1RuleWithOperations { ApiGroups = ["rbac.authorization.k8s.io"], ApiVersions = ["v1"], Resources = ["roles", "rolebindings"], Operations = ["CREATE", "UPDATE"] },
                        new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["serviceaccounts"], Operations = ["CREATE", "UPDATE"] },
                    ],
                    NamespaceSelector = scope,
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                    FailurePolicy = "Fail",
                    TimeoutSeconds = 10,
                },
                new V1ValidatingWebhook
                {
                    Name = "sealed-causal-chain.conductor.ontai.dev",
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = Host.Url(AdmissionEndpoints.LineagePath).ToString(), CaBundle = caBundle },
                    Rules = [new V1RuleWithOperations { ApiGroups = [GuardianApi.Group], ApiVersions = [GuardianApi.Version], Resources = [PermissionSet.Plural], Operations = ["UPDATE"] }],
                    NamespaceSelector = scope,
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                    FailurePolicy = "Fail",
                    TimeoutSeconds = 10,
                },
            ],
        };
    }
}
