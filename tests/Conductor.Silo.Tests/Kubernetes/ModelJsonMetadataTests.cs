using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Tests.Kubernetes;

/// <summary>
/// The agent's switch of <see cref="KubernetesJson"/> to reflection metadata: it writes and reads Kubernetes objects
/// exactly as KubernetesClient's own combined (source-generated first) metadata does.
/// </summary>
public sealed class ModelJsonMetadataTests
{
    private static readonly DateTime Renewed = new DateTime(2026, 11, 27, 21, 15, 3, 123, DateTimeKind.Utc).AddTicks(4560);

    public static TheoryData<string> Objects => ["lease", "configMap", "pod", "node"];

    [Fact]
    public void UseReflectionOnly_FreshOptions_SwitchesToReflection()
    {
        var options = LibraryOptions();

        var switched = ModelJsonMetadata.UseReflectionOnly(options);

        Assert.True(switched);
        Assert.IsType<DefaultJsonTypeInfoResolver>(options.TypeInfoResolver);
    }

    [Fact]
    public void UseReflectionOnly_FrozenOptions_ReturnsFalseAndLeavesThem()
    {
        var options = LibraryOptions();
        var resolver = options.TypeInfoResolver;
        options.MakeReadOnly();

        var switched = ModelJsonMetadata.UseReflectionOnly(options);

        Assert.False(switched);
        Assert.Same(resolver, options.TypeInfoResolver);
    }

    [Fact]
    public void UseReflectionOnly_AlreadyReflectionAndFrozen_ReturnsTrue()
    {
        var options = LibraryOptions();
        ModelJsonMetadata.UseReflectionOnly(options);
        options.MakeReadOnly();

        Assert.True(ModelJsonMetadata.UseReflectionOnly(options));
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Serialize_ReflectionOnly_SameJsonAsLibraryMetadata(string name)
    {
        var value = Sample(name);
        var reflection = LibraryOptions();
        ModelJsonMetadata.UseReflectionOnly(reflection);

        var expected = JsonSerializer.Serialize(value, value.GetType(), LibraryOptions());
        var actual = JsonSerializer.Serialize(value, value.GetType(), reflection);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Deserialize_ReflectionOnly_ReadsWhatLibraryMetadataReads(string name)
    {
        var value = Sample(name);
        var library = LibraryOptions();
        var reflection = LibraryOptions();
        ModelJsonMetadata.UseReflectionOnly(reflection);
        var json = JsonSerializer.Serialize(value, value.GetType(), library);

        var read = JsonSerializer.Deserialize(json, value.GetType(), reflection);

        Assert.Equal(json, JsonSerializer.Serialize(read, value.GetType(), library));
    }

    // The library cannot write a Status (its converter only reads), so the Status the apiserver answers is compared read.
    [Fact]
    public void Deserialize_ApiServerStatus_SameFieldsAsLibraryMetadata()
    {
        const string Json = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"x\" not found","reason":"NotFound","details":{"name":"x","group":"coordination.k8s.io","kind":"leases"},"code":404}
            """;
        var reflection = LibraryOptions();
        ModelJsonMetadata.UseReflectionOnly(reflection);

        var expected = JsonSerializer.Deserialize<V1Status>(Json, LibraryOptions())!;
        var actual = JsonSerializer.Deserialize<V1Status>(Json, reflection)!;

        Assert.Equal(
            (expected.Status, expected.Reason, expected.Code, expected.Message, expected.Details.Name, expected.Details.Kind),
            (actual.Status, actual.Reason, actual.Code, actual.Message, actual.Details.Name, actual.Details.Kind));
        Assert.Equal(404, actual.Code);
    }

    // A mutable copy of KubernetesClient's own options: its converters and naming, its combined resolver.
    private static JsonSerializerOptions LibraryOptions()
    {
        JsonSerializerOptions? copy = null;
        KubernetesJson.AddJsonOptions(options => copy = new JsonSerializerOptions(options));
        copy!.TypeInfoResolver = JsonTypeInfoResolver.Combine(SourceGenerationContext.Default, new DefaultJsonTypeInfoResolver());
        return copy;
    }

    private static object Sample(string name) => name switch
    {
        // MicroTime with sub-millisecond digits, durations and a nullable int: the lease the agent renews.
        "lease" => new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta { Name = "conductor-a", NamespaceProperty = "ont-system", ResourceVersion = "42", Labels = new Dictionary<string, string> { ["app"] = "conductor" } },
            Spec = new V1LeaseSpec { HolderIdentity = "pod-1", LeaseDurationSeconds = 15, RenewTime = Renewed, AcquireTime = Renewed, LeaseTransitions = 3 },
        },
        "configMap" => new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = "snapshot",
                CreationTimestamp = Renewed,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Namespace", Name = "x", Uid = "u-1", Controller = true }],
            },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "" },
            BinaryData = new Dictionary<string, byte[]> { ["bin"] = [1, 2, 255] },
        },
        // IntOrString and Quantity carry their own converters; the probe's port is an IntOrString either way.
        "pod" => new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "runner" },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "c",
                        Image = "registry/x:1",
                        Ports = [new V1ContainerPort { ContainerPort = 8080, Protocol = "TCP" }],
                        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("80Mi"), ["cpu"] = new("250m") } },
                        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "http" } },
                        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = 8080 } },
                    },
                ],
            },
        },
        "node" => new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "cp-1" },
            Status = new V1NodeStatus
            {
                NodeInfo = new V1NodeSystemInfo { OsImage = "Talos (v1.9.1)", KubeletVersion = "v1.32.0" },
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastTransitionTime = Renewed }],
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no sample of that name"),
    };
}
