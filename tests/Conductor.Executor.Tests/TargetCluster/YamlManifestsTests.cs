using System.Text.Json.Nodes;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Runner.Results;

namespace Conductor.Executor.Tests.TargetCluster;

public sealed class YamlManifestsTests
{
    [Fact]
    public void Parse_PlainAndQuotedScalars_TypedAsTheApiServerReadsThem()
    {
        var objects = YamlManifests.Parse("""
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: typed
              namespace: demo
            spec:
              replicas: 3
              ratio: 0.25
              enabled: true
              nothing: null
              quoted: "42"
              single: 'true'
              version: 1.2.3
              list: [a, 1]
              block: |
                line
            ---
            """, "layer");

        var item = Assert.Single(objects);
        Assert.Equal(("v1", "ConfigMap", "typed", "demo"), (item.ApiVersion, item.Kind, item.Name, item.Namespace));
        var spec = (JsonObject)item.Body["spec"]!;
        Assert.Equal("""{"replicas":3,"ratio":0.25,"enabled":true,"nothing":null,"quoted":"42","single":"true","version":"1.2.3","list":["a",1],"block":"line\n"}""",
            spec.ToJsonString());
    }

    [Fact]
    public void Parse_DocumentWithoutName_RefusedNamingLayerAndPosition()
    {
        var failure = Assert.Throws<CapabilityFailureException>(() => YamlManifests.Parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ok
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {}
            """, "workload layer r@sha256:x"));

        Assert.Equal(FailureCategory.ValidationFailure, failure.Category);
        Assert.StartsWith("workload layer r@sha256:x document 2 is not a Kubernetes object", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidYaml_RefusedAsValidationFailure()
    {
        var failure = Assert.Throws<CapabilityFailureException>(() => YamlManifests.Parse("a: [b", "rbac layer"));

        Assert.Equal(FailureCategory.ValidationFailure, failure.Category);
        Assert.StartsWith("rbac layer is not valid YAML", failure.Message, StringComparison.Ordinal);
    }
}
