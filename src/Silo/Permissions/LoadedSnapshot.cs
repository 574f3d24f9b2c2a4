using System.Collections.Frozen;

namespace Conductor.Silo.Permissions;

/// <summary>A verified PermissionSnapshot ready to answer from: its grants indexed by principal, in snapshot order.</summary>
public sealed class LoadedSnapshot
{
    public LoadedSnapshot(string name, string version, string cluster, IEnumerable<PermissionGrant> grants)
    {
        Name = name;
        Version = version;
        Cluster = cluster;
        var ordered = grants.ToList();
        Grants = ordered;
        ByPrincipal = ordered
            .GroupBy(g => g.Principal, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<PermissionGrant>)[.. g], StringComparer.Ordinal);
    }

    /// <summary>Name of the PermissionSnapshot object it was loaded from.</summary>
    public string Name { get; }

    public string Version { get; }

    /// <summary>The snapshot's target cluster.</summary>
    public string Cluster { get; }

    public IReadOnlyList<PermissionGrant> Grants { get; }

    public FrozenDictionary<string, IReadOnlyList<PermissionGrant>> ByPrincipal { get; }
}
