namespace Conductor.Compiler.Packs.Split;

/// <summary>
/// Sorts manifests into the rbac, cluster-scoped and workload layers (compiler.md §4.5). For each namespace an RBAC
/// manifest lives in (first-seen order) that no Namespace manifest of the input creates, a Namespace manifest is put
/// at the head of the workload layer: pack-deploy applies the workload layer's Namespaces before the RBAC intake.
/// The input list is not changed.
/// </summary>
public static class ManifestSplitter
{
    public static SplitManifests Split(IReadOnlyList<Manifest> manifests)
    {
        var rbac = manifests.Where(m => ManifestKinds.Rbac.Contains(m.Kind)).ToList();
        var clusterScoped = manifests.Where(m => ManifestKinds.ClusterScoped.Contains(m.Kind)).ToList();
        var workload = manifests.Where(m => !ManifestKinds.Rbac.Contains(m.Kind) && !ManifestKinds.ClusterScoped.Contains(m.Kind)).ToList();

        var declared = manifests.Where(m => m.Kind == ManifestKinds.Namespace).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var synthetic = rbac.Select(m => m.Namespace)
            .OfType<string>()
            .Where(ns => ns.Length > 0 && !declared.Contains(ns))
            .Distinct(StringComparer.Ordinal)
            .Select(Manifest.SyntheticNamespace);
        return new SplitManifests(rbac, clusterScoped, [.. synthetic, .. workload]);
    }
}
