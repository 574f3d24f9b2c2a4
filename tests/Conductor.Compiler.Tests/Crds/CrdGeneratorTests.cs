using Conductor.Compiler.Crds;
using Conductor.Resources;
using Conductor.Resources.Seam;
using k8s.Models;

namespace Conductor.Compiler.Tests.Crds;

public sealed class CrdGeneratorTests
{
    private static readonly IReadOnlyList<V1CustomResourceDefinition> All = CrdGenerator.GenerateAll(ResourceKinds.All);

    [Fact]
    public void Generate_RunnerConfig_NamesShortNameAndStatusSubresource()
    {
        var crd = CrdGenerator.Generate(typeof(RunnerConfig));

        Assert.Equal("runnerconfigs.seam.ontai.dev", crd.Metadata.Name);
        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        Assert.Equal("RunnerConfig", crd.Spec.Names.Kind);
        Assert.Equal("runnerconfig", crd.Spec.Names.Singular);
        Assert.Equal(["rc"], crd.Spec.Names.ShortNames);
        Assert.Equal(["seam"], crd.Spec.Names.Categories);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.True(version.Served && version.Storage);
        Assert.NotNull(version.Subresources.Status);
    }

    [Fact]
    public void Generate_RunnerConfig_PrinterColumnsClusterPhaseThenAge()
    {
        var columns = CrdGenerator.Generate(typeof(RunnerConfig)).Spec.Versions[0].AdditionalPrinterColumns;

        Assert.Equal(["Cluster", "Phase", "Failed Step", "Agent", "Age"], columns.Select(c => c.Name));
        Assert.Equal(".spec.clusterRef", columns[0].JsonPath);
        Assert.Equal(".status.phase", columns[1].JsonPath);
        Assert.Equal(1, columns[2].Priority);
        Assert.Equal(("date", ".metadata.creationTimestamp"), (columns[^1].Type, columns[^1].JsonPath));
    }

    [Fact]
    public void Generate_RunnerConfig_SpecFieldsInDeclaredOrderWithRequired()
    {
        var spec = Schema(typeof(RunnerConfig)).Properties["spec"];

        Assert.Equal(
            ["clusterRef", "agentImage", "phases", "steps", "operationalHistory", "maintenanceTargetNodes", "operatorLeaderNode", "selfOperation"],
            spec.Properties.Keys);
        Assert.Equal(["clusterRef", "agentImage"], spec.Required);
        var step = (V1JSONSchemaProps)spec.Properties["steps"].Items;
        Assert.Equal(["name", "capability", "parameters", "dependsOn", "haltOnFailure"], step.Properties.Keys);
        Assert.Equal(["name", "capability"], step.Required);
        Assert.Equal("string", ((V1JSONSchemaProps)step.Properties["parameters"].AdditionalProperties).Type);
        Assert.Equal("date-time", ((V1JSONSchemaProps)spec.Properties["operationalHistory"].Items).Properties["appliedAt"].Format);
    }

    [Fact]
    public void Generate_RunnerConfig_StepResultIsExactlyTheContractShape()
    {
        var status = Schema(typeof(RunnerConfig)).Properties["status"];
        var stepResult = (V1JSONSchemaProps)status.Properties["stepResults"].Items;

        Assert.Equal(["stepName", "phase", "outputRef", "result"], stepResult.Properties.Keys);
        Assert.Equal(["Pending", "Running", "Succeeded", "Failed", "Skipped"], stepResult.Properties["phase"].EnumProperty);
        Assert.Equal("object", stepResult.Properties["result"].Type);
        Assert.True(stepResult.Properties["result"].XKubernetesPreserveUnknownFields);
        var capability = (V1JSONSchemaProps)status.Properties["capabilities"].Items;
        Assert.Equal(["name", "version", "description", "parameters"], capability.Properties.Keys);
        Assert.True(capability.Properties["parameters"].XKubernetesPreserveUnknownFields);
    }

    [Fact]
    public void Generate_Conditions_MetaV1ConditionShapeKeyedByType()
    {
        var conditions = Schema(typeof(DriftSignal)).Properties["status"].Properties["conditions"];
        var condition = (V1JSONSchemaProps)conditions.Items;

        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        Assert.Equal(["type", "status", "lastTransitionTime", "reason", "message"], condition.Required);
        Assert.Equal(["True", "False", "Unknown"], condition.Properties["status"].EnumProperty);
    }

    [Fact]
    public void Generate_EnumsWithJsonNames_UseTheWireValues()
    {
        var state = Schema(typeof(DriftSignal)).Properties["spec"].Properties["state"];

        Assert.Equal(["pending", "delivered", "queued", "confirmed"], state.EnumProperty);
    }

    [Fact]
    public void GenerateAll_EveryKind_OneCrdSortedByGroupThenPlural()
    {
        Assert.Equal(ResourceKinds.All.Count, All.Count);
        var keys = All.Select(c => (c.Spec.Group, c.Spec.Names.Plural)).ToList();
        Assert.Equal(keys.OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Plural, StringComparer.Ordinal), keys);
        Assert.Equal(All.Count, All.Select(c => c.Metadata.Name).Distinct().Count());
        Assert.Equal(
            All.Count(c => c.Spec.Names.ShortNames is not null),
            All.SelectMany(c => c.Spec.Names.ShortNames ?? []).Distinct().Count());
    }

    [Fact]
    public void GenerateAll_EveryKind_StructuralSchemaWithEveryFieldTyped()
    {
        foreach (var crd in All)
        {
            var root = crd.Spec.Versions[0].Schema.OpenAPIV3Schema;
            Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], root.Properties.Keys);
            Assert.Null(root.Properties["metadata"].Properties);
            Assert.Equal(["spec"], root.Required);
            AssertTyped(root, crd.Metadata.Name);
        }
    }

    [Fact]
    public void GenerateAll_LineageKinds_CarrySealedCausalChain()
    {
        var withLineage = All.Where(c => Schema(c).Properties["spec"].Properties.ContainsKey("lineage")).Select(c => c.Spec.Names.Kind).ToHashSet();

        Assert.Superset(new HashSet<string> { "PackDelivery", "PackExecution", "TalosCluster", "PermissionSnapshot" }, withLineage);
        var lineage = Schema(All.Single(c => c.Spec.Names.Kind == "TalosCluster")).Properties["spec"].Properties["lineage"];
        Assert.Equal(["rootKind", "rootName"], lineage.Required);
    }

    [Fact]
    public void Generate_DefaultsOnNullableFields_EmittedAsSchemaDefaults()
    {
        var snapshot = Schema(All.Single(c => c.Spec.Names.Kind == "PermissionSnapshot")).Properties["spec"];
        var installed = Schema(All.Single(c => c.Spec.Names.Kind == "PackInstalled")).Properties["spec"];

        Assert.Equal(300, snapshot.Properties["freshnessWindowSeconds"].DefaultProperty);
        Assert.Equal("Warn", installed.Properties["dependencyPolicy"].Properties["onDrift"].DefaultProperty);
    }

    [Fact]
    public void Generate_TypeWithoutKubernetesEntity_ThrowsNamingTheType()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CrdGenerator.Generate(typeof(RunnerConfigSpec)));

        Assert.Contains("RunnerConfigSpec has no [KubernetesEntity]", error.Message, StringComparison.Ordinal);
    }

    private static V1JSONSchemaProps Schema(Type kind) => Schema(CrdGenerator.Generate(kind));

    private static V1JSONSchemaProps Schema(V1CustomResourceDefinition crd) => crd.Spec.Versions[0].Schema.OpenAPIV3Schema;

    private static void AssertTyped(V1JSONSchemaProps schema, string path)
    {
        Assert.False(string.IsNullOrEmpty(schema.Type), $"{path} has no type");
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            AssertTyped(property, $"{path}.{name}");
        }
        if (schema.Items is V1JSONSchemaProps items)
        {
            AssertTyped(items, path + "[]");
        }
        if (schema.AdditionalProperties is V1JSONSchemaProps values)
        {
            AssertTyped(values, path + "{}");
        }
        if (schema.Type == "object" && schema.Properties is null && schema.AdditionalProperties is null && !path.EndsWith(".metadata", StringComparison.Ordinal))
        {
            Assert.True(schema.XKubernetesPreserveUnknownFields, $"{path} is a free-form object without x-kubernetes-preserve-unknown-fields");
        }
    }
}
