using System.Text.Json.Nodes;
using Conductor.Resources.Dispatcher;

namespace Conductor.Executor.TargetCluster;

/// <summary>One Kubernetes object to apply, as JSON, with the identity fields every step needs.</summary>
public sealed record ManifestObject(JsonObject Body, string ApiVersion, string Kind, string Name, string? Namespace)
{
    /// <summary>The object as the inventory records it.</summary>
    public DeployedResource Identity => new() { ApiVersion = ApiVersion, Kind = Kind, Name = Name, Namespace = Namespace };

    /// <summary>The same object in <paramref name="namespace"/> (null for cluster-scoped).</summary>
    public ManifestObject InNamespace(string? @namespace)
    {
        var body = (JsonObject)Body.DeepClone();
        var metadata = (JsonObject)body["metadata"]!;
        if (@namespace is null)
        {
            metadata.Remove("namespace");
        }
        else
        {
            metadata["namespace"] = @namespace;
        }
        return this with { Body = body, Namespace = @namespace };
    }

    /// <summary>Reads apiVersion, kind and metadata of <paramref name="body"/>; null when one of them is missing.</summary>
    public static ManifestObject? From(JsonObject body)
    {
        var apiVersion = Text(body["apiVersion"]);
        var kind = Text(body["kind"]);
        var metadata = body["metadata"] as JsonObject;
        var name = Text(metadata?["name"]);
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
        {
            return null;
        }
        var @namespace = Text(metadata!["namespace"]);
        return new ManifestObject(body, apiVersion, kind, name, string.IsNullOrEmpty(@namespace) ? null : @namespace);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
