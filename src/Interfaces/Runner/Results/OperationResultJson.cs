using System.Text.Json;

namespace Conductor.Runner.Results;

/// <summary>
/// The one serialisation of <see cref="OperationResult"/> that writer and reader share, so the ConfigMap text is
/// byte-stable: indented with two spaces, <c>\n</c> line ends, properties in declaration order.
/// </summary>
public static class OperationResultJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Serialize(OperationResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Parses a result document; throws <see cref="JsonException"/> naming the problem when it is not one.</summary>
    public static OperationResult Deserialize(string json) =>
        JsonSerializer.Deserialize<OperationResult>(json, Options)
        ?? throw new JsonException("the result document is the JSON literal null, not an OperationResult object");
}
