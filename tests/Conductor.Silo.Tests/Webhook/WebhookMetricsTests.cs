using System.Diagnostics.Metrics;
using System.Text;
using Conductor.Observability;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Conductor.TestSupport.Observability;

namespace Conductor.Silo.Tests.Webhook;

/// <summary>Every admission answer is counted on conductor.webhook.decisions under its decision.</summary>
[Collection(KubeCollection.Name)]
public sealed class WebhookMetricsTests(KubeFixture kube) : IAsyncLifetime
{
    private TestNamespace? _ns;
    private WebhookHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ns = new TestNamespace(kube);
        await _ns.InitializeAsync();
        _host = await WebhookHost.StartAsync(kube.Client, _ns.Name, "metrics-replica", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_ns is not null)
        {
            await _ns.DisposeAsync();
        }
    }

    [Fact]
    public async Task Post_AllowedAuditedAndMalformed_CountsEachDecision()
    {
        using var http = _host!.Client();

        await PostAsync(http, _host.Url(AdmissionEndpoints.RbacOwnershipPath), Review("Role", owned: true));
        await PostAsync(http, _host.Url(AdmissionEndpoints.RbacOwnershipPath), Review("Role", owned: false));
        await PostAsync(http, _host.Url(AdmissionEndpoints.RbacOwnershipPath), Review("RoleBinding", owned: false));
        await PostAsync(http, _host.Url(AdmissionEndpoints.LineagePath), "not json");
        var counts = Observe(_host.App.Services.GetRequiredService<IMeterFactory>());

        Assert.Equal(1, counts[WebhookDecisions.Allowed]);
        Assert.Equal(2, counts[WebhookDecisions.AuditedOnly]);
        Assert.Equal(1, counts[WebhookDecisions.Denied]);
    }

    /// <summary>Reads the observable counter of this host's meter only (other tests' hosts share the process).</summary>
    private static Dictionary<string, long> Observe(IMeterFactory factory)
    {
        using var reader = new ConductorMeterReader(factory);
        return reader.ReadByTag("conductor.webhook.decisions", ConductorMetrics.DecisionTag);
    }

    private static async Task PostAsync(HttpClient http, Uri url, string body)
    {
        using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
    }

    private static string Review(string kind, bool owned)
    {
        var annotations = owned ? $$"""{"{{RbacOwnershipPolicy.OwnerAnnotation}}":"{{RbacOwnershipPolicy.OwnerValue}}"}""" : "{}";
        return $$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"uid-{{{kind}}}","operation":"CREATE",
             "kind":{"group":"rbac.authorization.k8s.io","version":"v1","kind":"{{{kind}}}"},"namespace":"apps","name":"reader",
             "object":{"metadata":{"name":"reader","annotations":{{{annotations}}} } } } }
            """;
    }
}
