using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Rbac;

/// <summary>Shorthands for RBAC rules and the verb sets the permission tables use.</summary>
public static class Rules
{
    public static readonly string[] Read = ["get", "list", "watch"];
    public static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch"];
    public static readonly string[] All = ["get", "list", "watch", "create", "update", "patch", "delete"];
    public static readonly string[] StatusWrite = ["get", "update", "patch"];
    public static readonly string[] Emit = ["create", "patch"];

    public static V1PolicyRule Of(string group, IEnumerable<string> resources, IEnumerable<string> verbs) =>
        new() { ApiGroups = [group], Resources = [.. resources], Verbs = [.. verbs] };

    public static V1PolicyRule Of(string group, string resource, IEnumerable<string> verbs) => Of(group, [resource], verbs);

    /// <summary>The resources and their <c>/status</c> subresources.</summary>
    public static IEnumerable<string> WithStatus(params string[] resources) =>
        resources.SelectMany(resource => new[] { resource, resource + "/status" });
}
