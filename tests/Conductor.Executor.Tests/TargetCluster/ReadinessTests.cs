using System.Text.Json;
using Conductor.Executor.TargetCluster;
using Conductor.Resources.Dispatcher;

namespace Conductor.Executor.Tests.TargetCluster;

public sealed class ReadinessTests
{
    private static DeployedResource Of(string kind) => new() { ApiVersion = "apps/v1", Kind = kind, Namespace = "demo", Name = "x" };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("Deployment", """{"status":{"conditions":[{"type":"Available","status":"True"}]}}""", null)]
    [InlineData("Deployment", """{"status":{"conditions":[{"type":"Available","status":"False"}]}}""", "has no condition Available=True")]
    [InlineData("Deployment", """{}""", "has no condition Available=True")]
    [InlineData("StatefulSet", """{"spec":{"replicas":3},"status":{"readyReplicas":3}}""", null)]
    [InlineData("StatefulSet", """{"spec":{"replicas":3},"status":{"readyReplicas":2}}""", "has 2 of 3 replicas ready")]
    [InlineData("StatefulSet", """{"spec":{},"status":{}}""", "has 0 of 1 replicas ready")]
    [InlineData("CustomResourceDefinition", """{"status":{"conditions":[{"type":"Established","status":"True"}]}}""", null)]
    [InlineData("CustomResourceDefinition", """{"status":{"conditions":[{"type":"NamesAccepted","status":"True"}]}}""", "is not Established")]
    [InlineData("ConfigMap", """{}""", null)]
    public void NotReadyReason_ObservedObject_ReportsWhyOrNull(string kind, string observed, string? expected) =>
        Assert.Equal(expected, Readiness.NotReadyReason(Of(kind), Json(observed)));

    [Fact]
    public void NotReadyReason_Missing_DoesNotExist() => Assert.Equal("does not exist", Readiness.NotReadyReason(Of("Deployment"), null));
}
