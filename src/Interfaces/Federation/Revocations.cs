namespace Conductor.Federation;

/// <summary>How a human or controller revokes a PackInstalled or PermissionSnapshot on the management cluster.</summary>
public static class Revocations
{
    /// <summary>
    /// Annotation that revokes the artifact it is set on; its value is the reason (any non-empty text). Deleting
    /// the artifact revokes it too.
    /// </summary>
    public const string RevokedAnnotation = "seam.ontai.dev/revoked";
}
