namespace Conductor.Compiler.Components;

/// <summary>Where the RBAC objects go and what they apply to: the same for every component of one run.</summary>
/// <param name="Namespace">Namespace of the PermissionSets and RBACProfiles (for example <c>seam-tenant-ccs-dev</c>).</param>
/// <param name="TargetClusters">Clusters the profiles apply to.</param>
/// <param name="RbacPolicyRef">RBACPolicy every profile is held under.</param>
public sealed record ProfileSettings(string Namespace, IReadOnlyList<string> TargetClusters, string RbacPolicyRef);
