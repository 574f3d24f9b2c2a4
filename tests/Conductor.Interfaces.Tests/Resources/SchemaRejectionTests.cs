using System.Net;
using System.Text.Json.Nodes;
using Conductor.Resources.Seam;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Interfaces.Tests.Resources;

/// <summary>
/// The real API server enforces the generated schemas: objects that break them are rejected with 422 and a cause
/// naming the field. (kube-apiserver 1.20 names list items without their index: <c>spec.steps.capability</c>.)
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class SchemaRejectionTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    [Fact]
    public async Task Create_MissingRequiredField_RejectedNamingTheField()
    {
        var status = await CreateExpectingRejectionAsync<RunnerConfig>("""{"spec":{"agentImage":"conductor-exec:v1.9.3"}}""");

        AssertCause(status, "spec.clusterRef", "FieldValueRequired");
    }

    [Fact]
    public async Task Create_WrongType_RejectedNamingTheField()
    {
        var status = await CreateExpectingRejectionAsync<RunnerConfig>(
            """{"spec":{"clusterRef":"ccs-dev","agentImage":"conductor-exec:v1.9.3","selfOperation":"yes"}}""");

        var cause = AssertCause(status, "spec.selfOperation", "FieldValueInvalid");
        Assert.Contains("must be of type boolean", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ValueOutsideEnum_RejectedNamingTheFieldAndAllowedValues()
    {
        var status = await CreateExpectingRejectionAsync<DriftSignal>("""{"spec":{"state":"exploded"}}""");

        var cause = AssertCause(status, "spec.state", "FieldValueNotSupported");
        Assert.Contains("\"pending\", \"delivered\", \"queued\", \"confirmed\"", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RequiredFieldOfListItemMissing_RejectedNamingThePath()
    {
        var status = await CreateExpectingRejectionAsync<RunnerConfig>(
            """{"spec":{"clusterRef":"ccs-dev","agentImage":"i","steps":[{"name":"backup"}]}}""");

        AssertCause(status, "spec.steps.capability", "FieldValueRequired");
    }

    [Fact]
    public async Task ReplaceStatus_StepPhaseOutsideEnum_RejectedNamingTheField()
    {
        var api = KubeApi.Of<RunnerConfig>();
        var ct = TestContext.Current.CancellationToken;
        var created = await ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync<RunnerConfig>(
            Resource<RunnerConfig>("status-enum", """{"spec":{"clusterRef":"ccs-dev","agentImage":"i"}}"""),
            api.Group, api.Version, ns.Name, api.Plural, cancellationToken: ct);
        var body = JsonNode.Parse(KubernetesJson.Serialize(created))!;
        body["status"] = JsonNode.Parse("""{"stepResults":[{"stepName":"backup","phase":"Exploded"}]}""");

        var rejected = await Assert.ThrowsAsync<HttpOperationException>(() =>
            ns.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
                body, api.Group, api.Version, ns.Name, api.Plural, "status-enum", cancellationToken: ct));

        AssertCause(Rejection(rejected), "status.stepResults.phase", "FieldValueNotSupported");
    }

    private async Task<V1Status> CreateExpectingRejectionAsync<T>(string specJson) where T : IKubernetesObject
    {
        var api = KubeApi.Of<T>();
        var rejected = await Assert.ThrowsAsync<HttpOperationException>(() =>
            ns.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
                Resource<T>("invalid-" + Guid.NewGuid().ToString("N")[..8], specJson), api.Group, api.Version, ns.Name, api.Plural,
                cancellationToken: TestContext.Current.CancellationToken));
        return Rejection(rejected);
    }

    private static V1Status Rejection(HttpOperationException rejected)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(rejected.Response.Content);
    }

    private static V1StatusCause AssertCause(V1Status status, string field, string reason)
    {
        var cause = status.Details?.Causes?.FirstOrDefault(c => c.Field == field);
        Assert.True(cause is not null, $"expected a cause for {field}; the API server said: {status.Message}");
        Assert.Equal(reason, cause.Reason);
        Assert.Contains(field, status.Message, StringComparison.Ordinal);
        return cause;
    }

    private JsonObject Resource<T>(string name, string body) where T : IKubernetesObject
    {
        var api = KubeApi.Of<T>();
        var resource = JsonNode.Parse(body)!.AsObject();
        resource["apiVersion"] = $"{api.Group}/{api.Version}";
        resource["kind"] = api.Kind;
        resource["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns.Name };
        return resource;
    }
}
