using Conductor.Resources.Guardian;

namespace Conductor.Components.Catalog;

/// <summary>Shorthands the catalog entries are written with.</summary>
internal static class Grant
{
    public const string Core = "";

    public static readonly string[] Read = ["get", "list", "watch"];
    public static readonly string[] Write = ["create", "update", "patch", "delete"];
    public static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];
    public static readonly string[] StatusWrite = ["get", "update", "patch"];
    public static readonly string[] Emit = ["create", "patch"];
    public static readonly string[] Lease = ["get", "create", "update"];

    public static PermissionRule Rule(string group, string[] resources, params string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };

    public static PermissionRule Named(string group, string[] resources, string[] resourceNames, params string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, ResourceNames = resourceNames, Verbs = verbs };

    /// <summary>Events the component records about the objects it manages.</summary>
    public static PermissionRule Events { get; } = Rule(Core, ["events"], Emit);

    /// <summary>A label set one workload is recognised by.</summary>
    public static IReadOnlyDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(label => label.Key, label => label.Value);

    /// <summary>Leader election through a Lease in <paramref name="namespaces"/> (null: the component's namespace).</summary>
    public static ComponentPermissionSet LeaderElection(string name, string who, IReadOnlyList<string>? namespaces = null) =>
        new(name, $"Leader election of {who}: its Lease and the events it records about it.", PermissionScope.Namespaced,
            [Rule("coordination.k8s.io", ["leases"], Lease), Events], namespaces);
}
