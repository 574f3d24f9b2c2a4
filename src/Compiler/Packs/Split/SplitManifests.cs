namespace Conductor.Compiler.Packs.Split;

/// <summary>The three layers of a pack, each in input order (the workload layer starts with any synthetic Namespaces).</summary>
public sealed record SplitManifests(IReadOnlyList<Manifest> Rbac, IReadOnlyList<Manifest> ClusterScoped, IReadOnlyList<Manifest> Workload);
