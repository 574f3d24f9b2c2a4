using System.Text.Json.Nodes;
using Conductor.Runner.Capabilities;

namespace Conductor.Interfaces.Tests.Runner.Capabilities;

public sealed class ParameterSchemaTests
{
    private static readonly ParameterSchema Schema = new(
    [
        new ParameterDefinition("secretRef", ParameterType.String, true, "Secret to read."),
        new ParameterDefinition("mode", ParameterType.String, false, "How.", ["no-reboot", "reboot"]),
        new ParameterDefinition("count", ParameterType.Int, false, "How many."),
        new ParameterDefinition("force", ParameterType.Bool, false, "Whether."),
        new ParameterDefinition("nodes", ParameterType.StringList, false, "Which."),
        new ParameterDefinition("extra", ParameterType.Object, false, "More."),
    ]);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Validate_AllTypesCorrect_NoErrors() =>
        Assert.Empty(Schema.Validate(Parse("""{"secretRef":"s","mode":"reboot","count":3,"force":true,"nodes":["a","b"],"extra":{"k":1}}""")));

    [Fact]
    public void Validate_OnlyRequired_NoErrors() => Assert.Empty(Schema.Validate(Parse("""{"secretRef":"s"}""")));

    [Fact]
    public void Validate_NullParameters_ReportsMissingRequired()
    {
        var errors = Schema.Validate(null);

        var error = Assert.Single(errors);
        Assert.StartsWith("parameter 'secretRef' is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryRuleBroken_ReportsEveryError()
    {
        var errors = Schema.Validate(Parse("""{"secretRef":"","mode":"staged","count":1.5,"force":"yes","nodes":["a",2],"extra":[],"typo":1}"""));

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("parameter 'typo' is not accepted", StringComparison.Ordinal));
        Assert.Contains("parameter 'secretRef' is required and must not be empty", errors);
        Assert.Contains("parameter 'mode' must be one of no-reboot, reboot, got 'staged'", errors);
        Assert.Contains("parameter 'count' must be an integer, got the number 1.5", errors);
        Assert.Contains("parameter 'force' must be true or false, got the string \"yes\"", errors);
        Assert.Contains("parameter 'nodes' must be a list of strings, got a list", errors);
        Assert.Contains("parameter 'extra' must be an object, got a list", errors);
    }

    [Fact]
    public void Validate_EmptySchemaWithParameter_ReportsNoneAccepted()
    {
        var error = Assert.Single(ParameterSchema.Empty.Validate(Parse("""{"x":1}""")));

        Assert.Equal("parameter 'x' is not accepted; accepted parameters: none", error);
    }

    [Fact]
    public void ToJsonSchema_Schema_RendersTypesRequiredAndEnum()
    {
        var schema = Schema.ToJsonSchema();

        Assert.Equal("object", (string?)schema["type"]);
        Assert.False((bool)schema["additionalProperties"]!);
        Assert.Equal(["secretRef"], schema["required"]!.AsArray().Select(n => (string?)n).ToArray());
        Assert.Equal("integer", (string?)schema["properties"]!["count"]!["type"]);
        Assert.Equal("boolean", (string?)schema["properties"]!["force"]!["type"]);
        Assert.Equal("string", (string?)schema["properties"]!["nodes"]!["items"]!["type"]);
        Assert.Equal(["no-reboot", "reboot"], schema["properties"]!["mode"]!["enum"]!.AsArray().Select(n => (string?)n).ToArray());
    }

    [Fact]
    public void ToJsonSchema_NoRequiredParameters_OmitsRequired() =>
        Assert.False(ParameterSchema.Empty.ToJsonSchema().ContainsKey("required"));
}
