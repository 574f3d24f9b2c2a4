using System.Text.Json.Serialization;
using Conductor.Compiler.Crds;

namespace Conductor.Compiler.Tests.Crds;

public sealed class SchemaBuilderTests
{
    [Fact]
    public void ForObject_PropertyWithoutJsonName_ThrowsNamingTheProperty()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SchemaBuilder().ForObject(typeof(Unnamed)));

        Assert.Contains("Unnamed.Field has no [JsonPropertyName]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForObject_UnsupportedType_ThrowsNamingPropertyAndType()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SchemaBuilder().ForObject(typeof(WithGuid)));

        Assert.Contains("WithGuid.Id has type System.Guid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForObject_RecursiveModel_ThrowsBecauseStructuralSchemasCannotRecurse()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SchemaBuilder().ForObject(typeof(Node)));

        Assert.Contains("contains itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForObject_JsonIgnoredProperty_LeftOut()
    {
        var schema = new SchemaBuilder().ForObject(typeof(WithIgnored));

        Assert.Equal(["kept"], schema.Properties.Keys);
    }

    private sealed record Unnamed
    {
        public string? Field { get; init; }
    }

    private sealed record WithGuid
    {
        [JsonPropertyName("id")]
        public Guid Id { get; init; }
    }

    private sealed record Node
    {
        [JsonPropertyName("next")]
        public Node? Next { get; init; }
    }

    private sealed record WithIgnored
    {
        [JsonPropertyName("kept")]
        public string? Kept { get; init; }

        [JsonIgnore]
        public string? Computed => Kept;
    }
}
