using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Resources;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Interfaces.Tests.Resources;

/// <summary>
/// Every Seam kind against the real kube-apiserver with the CRDs `compiler launch` generates: create, read,
/// write status through /status, see the watch event, delete. Fully populated samples prove that the schema
/// keeps every field of the model and that the JSON names agree.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class ResourceRoundTripTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    public static TheoryData<string> Kinds => [.. ResourceKinds.All.Select(kind => kind.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateReadStatusWatchDelete_EveryKind_RoundTripsThroughApiServer(string kindName)
    {
        var kind = ResourceKinds.All.Single(k => k.Name == kindName);
        var roundTrip = typeof(ResourceRoundTripTests).GetMethod(nameof(RoundTripAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

        await (Task)roundTrip.MakeGenericMethod(kind).Invoke(null, [ns])!;
    }

    private static async Task RoundTripAsync<T>(TestNamespace ns) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var api = KubeApi.Of<T>();
        using var generic = api.GenericClient(ns.Client);
        var name = "sample-" + api.Plural;
        var sample = (T)SampleResources.Create(typeof(T), ns.Name, name);
        var ct = TestContext.Current.CancellationToken;

        // Create: the status subresource makes the API server ignore the status sent with the object.
        var created = await generic.CreateNamespacedAsync(sample, ns.Name, ct);
        AssertSameJson(Part(sample, "spec"), Part(created, "spec"), $"{api.Kind} spec after create");
        Assert.Null(Part(created, "status"));

        var read = await generic.ReadNamespacedAsync<T>(ns.Name, name, ct);
        AssertSameJson(Part(sample, "spec"), Part(read, "spec"), $"{api.Kind} spec after read");

        // Status through /status, guarded by the resourceVersion just read.
        typeof(T).GetProperty("Status")!.SetValue(read, SampleResources.Status(typeof(T)));
        var updated = await ns.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(
            read, api.Group, api.Version, ns.Name, api.Plural, name, cancellationToken: ct);
        AssertSameJson(Part(sample, "status"), Part(updated, "status"), $"{api.Kind} status after /status");
        Assert.Equal(created.Metadata.Generation, updated.Metadata.Generation);

        var (_, watched) = await ResourceWatch.WaitForAsync<T>(
            ns.Client, ns.Name, created.Metadata.ResourceVersion,
            (type, item) => type == WatchEventType.Modified && item.Metadata.ResourceVersion == updated.Metadata.ResourceVersion,
            cancellationToken: ct);
        AssertSameJson(Part(sample, "status"), Part(watched, "status"), $"{api.Kind} status in the watch event");

        // A delete without finalizers answers with a Status, not the object.
        await generic.DeleteNamespacedAsync<V1Status>(ns.Name, name, ct);
        await ResourceWatch.WaitForAsync<T>(
            ns.Client, ns.Name, updated.Metadata.ResourceVersion,
            (type, item) => type == WatchEventType.Deleted && item.Metadata.Name == name, cancellationToken: ct);
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => generic.ReadNamespacedAsync<T>(ns.Name, name, ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    private static JsonNode? Part(object resource, string part) => JsonNode.Parse(KubernetesJson.Serialize(resource))![part];

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{what} differs.\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
}
