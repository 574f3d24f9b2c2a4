namespace Conductor.Signing;

/// <summary>
/// The Secret in which management stores a signed PackInstalled for its tenant to pull:
/// <c>seam-pack-signed-{cluster}-{packInstalled}</c> in <c>seam-tenant-{cluster}</c> (agent notes §4.2).
/// <see cref="ArtifactKey"/> holds the exact RFC 8785 canonical spec bytes that were signed, so the tenant verifies
/// those bytes without re-serialising anything.
/// </summary>
public static class SignedArtifactSecret
{
    public const string NamePrefix = "seam-pack-signed-";
    public const string TenantNamespacePrefix = "seam-tenant-";

    /// <summary>Data key: the canonical spec bytes.</summary>
    public const string ArtifactKey = "artifact";

    /// <summary>Data key: the raw 64-byte Ed25519 signature (the API shows it as the same base64 as the annotation).</summary>
    public const string SignatureKey = "signature";

    /// <summary>Data key: the UTF-8 id of the signing key.</summary>
    public const string KeyIdKey = "keyId";

    /// <summary>Data key: the UTF-8 lowercase hex SHA-256 of the artifact.</summary>
    public const string SpecHashKey = "specHash";

    /// <summary>Label on every artifact Secret; its value is the target cluster, so a tenant can watch just its own.</summary>
    public const string ClusterLabel = "seam.ontai.dev/signed-artifact-cluster";

    /// <summary>Annotation naming the PackInstalled the artifact was signed from.</summary>
    public const string PackInstalledAnnotation = "seam.ontai.dev/pack-installed";

    public static string TenantNamespace(string cluster) => TenantNamespacePrefix + cluster;

    public static string Name(string cluster, string packInstalled) => $"{NamePrefix}{cluster}-{packInstalled}";
}
