using Conductor.Components.Catalog;

namespace Conductor.Components;

/// <summary>
/// The third-party components Conductor knows the RBAC of, authored from each project's own manifests at the release
/// line given per entry. <c>compiler component</c> writes PermissionSets and RBACProfiles from it and discovers its
/// entries on a cluster; the tenant agent's bootstrap sweep reads the same list.
/// </summary>
public static class ComponentCatalog
{
    /// <summary>
    /// Revision of the catalog as a whole, recorded on everything written from it. Bump it whenever an entry's rules,
    /// workloads or names change, so a reviewer can tell which revision produced a profile.
    /// </summary>
    public const string Version = "1.0.0";

    /// <summary>Every entry, ordered by name.</summary>
    public static IReadOnlyList<ComponentDefinition> All { get; } =
    [
        CertManager.Definition,
        Cilium.Definition,
        Cnpg.Definition,
        Kueue.Definition,
        LocalPathProvisioner.Definition,
        MetalLb.Definition,
    ];

    /// <summary>The entry named exactly <paramref name="name"/> (case-sensitive), or null.</summary>
    public static ComponentDefinition? Find(string name) => All.FirstOrDefault(entry => entry.Name == name);
}
