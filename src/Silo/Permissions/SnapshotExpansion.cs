using Conductor.Resources.Guardian;

namespace Conductor.Silo.Permissions;

/// <summary>
/// Turns a PermissionSnapshot spec into grants. <c>subjects</c> wins when present: one grant per subject and rule,
/// keeping resourceNames and the subject's namespace (both of which the reference dropped); a rule without
/// apiGroups means the core group. Otherwise <c>principalPermissions</c>: one grant per allowed operation.
/// </summary>
public static class SnapshotExpansion
{
    public static LoadedSnapshot Load(PermissionSnapshot snapshot)
    {
        var spec = snapshot.Spec;
        return new LoadedSnapshot(snapshot.Metadata.Name, spec.Version, spec.TargetCluster, Grants(spec));
    }

    public static IEnumerable<PermissionGrant> Grants(PermissionSnapshotSpec spec)
    {
        if (spec.Subjects is { } subjects)
        {
            foreach (var subject in subjects)
            {
                foreach (var rule in subject.Permissions ?? [])
                {
                    yield return new PermissionGrant(
                        subject.SubjectName,
                        rule.ApiGroups is { Count: > 0 } groups ? groups : [""],
                        rule.Resources ?? [],
                        rule.Verbs,
                        rule.ResourceNames ?? [],
                        [],
                        string.IsNullOrEmpty(subject.Namespace) ? null : subject.Namespace);
                }
            }
            yield break;
        }
        foreach (var principal in spec.PrincipalPermissions ?? [])
        {
            foreach (var operation in principal.AllowedOperations ?? [])
            {
                yield return new PermissionGrant(
                    principal.PrincipalRef, [operation.ApiGroup], [operation.Resource], operation.Verbs, [], operation.Clusters ?? [], null);
            }
        }
    }
}
